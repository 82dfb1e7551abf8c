import type { AccessToken } from '@autofacilitate/types';
import formBody from '@fastify/formbody';
import { presentedClient } from '../auth/client-authentication';
import type { Credentials } from '../auth/credentials';
import type { FailedAuthentications } from '../auth/failed-authentications';
import { verifyClientSecret } from '../auth/secret-hash';
import { apiScope, type TokenIssuer } from '../auth/token-issuer';
import { clientAuthenticationFailed, grantBodyMissing, tokenLimitUnchecked } from '../errors/catalogue';
import { unavailableIfAsked } from '../http/fault-injection';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';

/** What the token endpoint needs. */
export interface TokenEndpointDependencies {
  credentials: Credentials;
  tokens: TokenIssuer;
  /**
   * A hash no secret matches, checked for unknown clients so that they take as long to refuse as
   * known ones and the endpoint does not tell which client ids exist.
   */
  decoySecretHash: string;
  /** Counts failed client authentications, and refuses while there were too many. */
  failures: FailedAuthentications;
}

/**
 * `getAccessToken`: the OAuth2 client credentials grant (RFC 6749 §4.4), form-encoded, the client
 * authenticated by HTTP Basic or form fields. Every answer is `Cache-Control: no-store`.
 */
export function getAccessToken({
  credentials,
  tokens,
  decoySecretHash,
  failures,
}: TokenEndpointDependencies): OperationPlugin {
  return async (app, { route }) => {
    app.removeAllContentTypeParsers();
    await app.register(formBody);
    app.route<OperationRoute<'getAccessToken'>>({
      ...route,
      // Its refusals are OAuth error bodies, not `ErrorResponse`s.
      config: { oauthErrors: true },
      handler: async (request, reply) => {
        // Fastify validates a body only when there is one: a request without is refused here.
        const form = request.body;
        if (form === undefined) throw grantBodyMissing();
        const presented = presentedClient(request.headers.authorization, form);
        try {
          unavailableIfAsked(request);
        } catch (error) {
          throw tokenLimitUnchecked(error);
        }
        await failures.reserve(presented.clientId, request.ip);
        const client = credentials.client(presented.clientId);
        const secretMatches = await verifyClientSecret(presented.clientSecret, client?.secretHash ?? decoySecretHash);
        // A failure keeps the tokens it reserved.
        if (!client || !secretMatches) throw clientAuthenticationFailed();
        await failures.succeeded(presented.clientId, request.ip);
        // The spec's schema admits no scope but autofacilitateapi (400 invalid_scope).
        const token = await tokens.issue(client, apiScope);
        request.log.info({ clientId: client.clientId, orgId: client.orgId }, 'token issued');
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        const answer: AccessToken = {
          access_token: token.accessToken,
          token_type: 'Bearer',
          expires_in: token.expiresIn,
          scope: token.scope,
        };
        return answer;
      },
    });
  };
}
