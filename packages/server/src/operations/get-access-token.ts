import formBody from '@fastify/formbody';
import type { FastifyError } from 'fastify';
import { presentedClient } from '../auth/client-authentication';
import type { Credentials } from '../auth/credentials';
import { OAuthError } from '../auth/oauth-error';
import { verifyClientSecret } from '../auth/secret-hash';
import { apiScope, type TokenService } from '../auth/token-service';
import type { OperationPlugin } from '../http/spec-routes';

/** What the token endpoint needs. */
export interface TokenEndpointDependencies {
  credentials: Credentials;
  tokens: TokenService;
  /**
   * A hash no secret matches, checked for unknown clients so that they take as long to refuse as
   * known ones and the endpoint does not tell which client ids exist.
   */
  decoySecretHash: string;
}

function toOAuthError(error: FastifyError): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (error.validation && error.validation.length > 0) {
    const issue = error.validation[0]!;
    if (issue.instancePath === '/grant_type' && issue.keyword === 'enum') {
      return new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported');
    }
    const field = issue.instancePath.slice(1) || String((issue.params as { missingProperty?: string }).missingProperty ?? 'body');
    return new OAuthError('invalid_request', `${field} ${issue.message ?? 'is invalid'}`);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new OAuthError('invalid_request', 'The request must be application/x-www-form-urlencoded');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new OAuthError('invalid_request', error.message);
  }
  return undefined;
}

/**
 * `getAccessToken`: the OAuth2 client credentials grant (RFC 6749 §4.4), form-encoded, the client
 * authenticated by HTTP Basic or form fields. Every answer is `Cache-Control: no-store`.
 */
export function getAccessToken({ credentials, tokens, decoySecretHash }: TokenEndpointDependencies): OperationPlugin {
  return async (app, { route }) => {
    app.removeAllContentTypeParsers();
    await app.register(formBody);
    app.route({
      ...route,
      errorHandler: (error: FastifyError, request, reply) => {
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        const refusal = toOAuthError(error);
        if (!refusal) {
          request.log.error({ err: error }, 'token request failed');
          return reply.code(500).send({ error: 'server_error', error_description: 'An unexpected error occurred' });
        }
        request.log.info({ error: refusal.error, reason: refusal.message }, 'token refused');
        if (refusal.statusCode === 401) reply.header('www-authenticate', 'Basic realm="autofacilitate"');
        return reply.code(refusal.statusCode).send(refusal.toResponse());
      },
      handler: async (request, reply) => {
        const form = request.body as Record<string, string | undefined>;
        const presented = presentedClient(request.headers.authorization, form);
        const client = credentials.client(presented.clientId);
        const secretMatches = await verifyClientSecret(presented.clientSecret, client?.secretHash ?? decoySecretHash);
        if (!client || !secretMatches) throw new OAuthError('invalid_client', 'Client authentication failed');
        const requested = (form.scope ?? apiScope).split(' ').filter(Boolean);
        if (requested.length === 0 || requested.some((scope) => scope !== apiScope)) {
          throw new OAuthError('invalid_scope', `The scope must be ${apiScope}`);
        }
        const token = await tokens.issue(client, apiScope);
        request.log.info({ clientId: client.clientId, orgId: client.orgId }, 'token issued');
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, scope: token.scope };
      },
    });
  };
}
