import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import {
  apiKeyRefused,
  organisationNotFound,
  tokenLacksScope,
  tokenMalformed,
  tokenMissing,
  tokenUnknown,
} from '../errors/catalogue';
import type { Credentials } from './credentials';
import { sha256 } from './secret-hash';
import { apiScope, type TokenIssuer } from './token-issuer';
import type { UsageMeter } from './usage-meter';

/** Who is calling: the organisation the token is bound to, its client and the API key used. */
export interface Principal {
  orgId: string;
  clientId: string;
  apiKey: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API's authentication once the caller is known. */
    principal: Principal | null;
  }
}

/** What {@link apiAuthentication} checks credentials against. */
export interface ApiAuthenticationDependencies {
  tokens: TokenIssuer;
  credentials: Credentials;
  usage: UsageMeter;
}

// RFC 6750 §2.1: `Bearer` and a b64token.
const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The check every API operation makes before it reads a body: a live token with the
 * `autofacilitateapi` scope, an API key of the token's organisation, and a path in that
 * organisation. Another organisation's path answers 404, as if it did not exist.
 */
export function apiAuthentication(
  { tokens, credentials, usage }: ApiAuthenticationDependencies,
  operationId: string,
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const keyHeader = request.headers['x-api-key'];
    const apiKey = typeof keyHeader === 'string' && keyHeader ? credentials.apiKey(sha256(keyHeader)) : undefined;
    if (apiKey) usage.record(apiKey.orgId, apiKey.name, operationId);

    const authorization = request.headers.authorization;
    if (!authorization) throw tokenMissing();
    const accessToken = bearer.exec(authorization)?.[1];
    if (!accessToken) throw tokenMalformed();
    const token = await tokens.find(accessToken);
    if (!token) throw tokenUnknown();
    if (!token.scope.split(' ').includes(apiScope)) {
      throw tokenLacksScope(apiScope);
    }
    if (!apiKey || apiKey.orgId !== token.orgId) {
      throw apiKeyRefused();
    }
    const { orgId } = request.params as { orgId: string };
    if (orgId !== token.orgId) throw organisationNotFound(orgId);
    request.principal = { orgId, clientId: token.clientId, apiKey: apiKey.name };
  };
}
