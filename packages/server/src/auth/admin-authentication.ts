import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import {
  adminAccessToken,
  adminKeyMalformed,
  adminKeyMissing,
  adminKeyUnknown,
  organisationNotFound,
} from '../errors/catalogue';
import type { Admin } from './admin-keys';
import { sha256 } from './secret-hash';
import type { TokenIssuer } from './token-issuer';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin authentication once the admin is known. */
    admin: Admin | null;
  }
}

/** What {@link adminAuthentication} checks an admin key against. */
export interface AdminAuthenticationDependencies {
  admin(keyHash: string): Admin | undefined;
  /** Tells an access token of execute's from a key nobody knows, to answer it 403. */
  tokens: TokenIssuer;
  /** Whether an organisation is configured. */
  organisation(orgId: string): boolean;
}

const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The check every admin operation makes first: an admin key of the path's organisation, or an
 * operator key. Another organisation answers 404 as if it did not exist, so that an admin learns
 * nothing of the others; an access token answers 403: it is a credential, but not for this.
 */
export function adminAuthentication({
  admin,
  tokens,
  organisation,
}: AdminAuthenticationDependencies): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const authorization = request.headers.authorization;
    if (!authorization) throw adminKeyMissing();
    const key = bearer.exec(authorization)?.[1];
    if (!key) throw adminKeyMalformed();
    const found = admin(sha256(key));
    if (!found) throw (await tokens.find(key)) ? adminAccessToken() : adminKeyUnknown();
    const { orgId } = request.params as { orgId: string };
    if ((found.orgId !== undefined && found.orgId !== orgId) || !organisation(orgId)) throw organisationNotFound(orgId);
    request.admin = found;
  };
}
