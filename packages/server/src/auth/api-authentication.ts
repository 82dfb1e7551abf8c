import type { FastifyError, FastifyRequest, onRequestHookHandler } from 'fastify';
import {
  apiKeyRefused,
  organisationNotFound,
  tokenLacksScope,
  tokenMalformed,
  tokenMissing,
  tokenUnknown,
} from '../errors/catalogue';
import type { Clock } from '../time/clock';
import type { CallerCache, KnownCaller } from './caller-cache';
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
  /** The callers let in lately, shared by every operation. */
  callers: CallerCache;
  clock: Clock;
}

// RFC 6750 §2.1: `Bearer` and a b64token.
const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The check every API operation makes before it reads a body: a live token with the
 * `autofacilitateapi` scope, of a client still configured, an API key of the token's organisation,
 * and a path in that organisation. Another organisation's path answers 404, as if it did not
 * exist. A pair of credentials that passed lately is known from {@link CallerCache} without
 * hashing either again.
 */
export function apiAuthentication(
  { tokens, credentials, usage, callers, clock }: ApiAuthenticationDependencies,
  operationId: string,
): onRequestHookHandler {
  // Every check, in order, for credentials not known lately.
  const check = async (keyHeader: unknown, authorization: string | undefined): Promise<KnownCaller> => {
    const apiKey = typeof keyHeader === 'string' && keyHeader ? credentials.apiKey(sha256(keyHeader)) : undefined;
    if (apiKey) usage.record(apiKey.orgId, apiKey.name, operationId);

    if (!authorization) throw tokenMissing();
    const accessToken = bearer.exec(authorization)?.[1];
    if (!accessToken) throw tokenMalformed();
    const token = await tokens.find(accessToken);
    // A client taken out of the configuration takes its tokens with it.
    if (!token || credentials.client(token.clientId)?.orgId !== token.orgId) throw tokenUnknown();
    if (!token.scope.split(' ').includes(apiScope)) {
      throw tokenLacksScope(apiScope);
    }
    if (!apiKey || apiKey.orgId !== token.orgId) {
      throw apiKeyRefused();
    }
    return { orgId: token.orgId, clientId: token.clientId, apiKey: apiKey.name, until: tokens.trustedUntil(token) };
  };

  const admit = (request: FastifyRequest, caller: KnownCaller): void => {
    const { orgId } = request.params as { orgId: string };
    if (orgId !== caller.orgId) throw organisationNotFound(orgId);
    request.principal = { orgId, clientId: caller.clientId, apiKey: caller.apiKey };
  };

  // A callback hook: a caller known lately is let in at once, without a promise.
  return (request, _reply, done) => {
    const keyHeader = request.headers['x-api-key'];
    const authorization = request.headers.authorization;
    const presented = typeof keyHeader === 'string' && authorization !== undefined && authorization !== '';
    const connection = request.raw.socket;
    const known = presented ? callers.known(connection, keyHeader, authorization, clock.now()) : undefined;
    if (!known) {
      check(keyHeader, authorization)
        .then((caller) => {
          if (presented) callers.remember(connection, keyHeader, authorization, caller);
          admit(request, caller);
        })
        .then(() => done(), done);
      return;
    }
    usage.record(known.orgId, known.apiKey, operationId);
    try {
      admit(request, known);
    } catch (error) {
      done(error as FastifyError);
      return;
    }
    done();
  };
}
