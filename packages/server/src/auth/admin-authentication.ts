import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import {
  adminAccessToken,
  adminKeyMalformed,
  adminKeyMissing,
  adminKeyUnknown,
  consoleSessionMissing,
  organisationNotFound,
} from '../errors/catalogue';
import type { AdminSessions } from '../console/admin-sessions';
import { requireSameOrigin } from '../console/same-origin';
import { sessionTokenOf } from '../console/session-cookie';
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
  /** The console's sessions, whose cookie stands for an admin key. */
  sessions: AdminSessions;
}

const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Who a request is: the admin of its `Authorization` key, else of its console session cookie (a
 * cookie is sent by the browser on its own, so a request it authenticates that changes state must
 * prove it comes from the console's page).
 */
async function adminOf(
  request: FastifyRequest,
  { admin, tokens, sessions }: AdminAuthenticationDependencies,
): Promise<Admin> {
  const authorization = request.headers.authorization;
  const sessionToken = authorization ? undefined : sessionTokenOf(request);
  if (sessionToken !== undefined) {
    const session = sessions.find(sessionToken);
    if (!session) throw consoleSessionMissing();
    requireSameOrigin(request);
    return session.admin;
  }
  if (!authorization) throw adminKeyMissing();
  const key = bearer.exec(authorization)?.[1];
  if (!key) throw adminKeyMalformed();
  const found = admin(sha256(key));
  if (!found) throw (await tokens.find(key)) ? adminAccessToken() : adminKeyUnknown();
  return found;
}

/**
 * The check every admin operation makes first: an admin key of the path's organisation, or an
 * operator key, or a console session of either. Another organisation answers 404 as if it did not
 * exist, so that an admin learns nothing of the others; an access token answers 403: it is a
 * credential, but not for this.
 */
export function adminAuthentication(dependencies: AdminAuthenticationDependencies): onRequestAsyncHookHandler {
  const { organisation } = dependencies;
  return async (request: FastifyRequest) => {
    const found = await adminOf(request, dependencies);
    const { orgId } = request.params as { orgId: string };
    if ((found.orgId !== undefined && found.orgId !== orgId) || !organisation(orgId)) throw organisationNotFound(orgId);
    request.admin = found;
  };
}
