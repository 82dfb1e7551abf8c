import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeNotFound } from '../errors/catalogue';
import { ApiError, OAuthError, Unauthorized, type ServerError } from '../errors/server-error';
import { wireAnswer } from '../errors/wire-answer';
import { apiErrorOf, oauthErrorOf } from './fastify-errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers its errors the OAuth way (RFC 6749 §5.2), as the token endpoint does. */
    oauthErrors?: boolean;
  }
}

function logRefusal(request: FastifyRequest, cause: unknown, error: ServerError): void {
  const { code } = error;
  // Errors that stay inside the server (a broken store, a bug) answer 500 and go to the log whole.
  if (error.statusCode >= 500) {
    request.log.error({ err: cause, code }, error instanceof OAuthError ? 'token request failed' : 'request failed');
  } else if (error instanceof Unauthorized) {
    request.log.info({ code, reason: error.message }, 'unauthorized');
  } else if (error instanceof OAuthError) {
    request.log.info({ code, error: error.error, reason: error.message }, 'token refused');
  } else if (error instanceof ApiError) {
    request.log.info({ code, problems: error.problems }, 'request refused');
  }
}

function send(reply: FastifyReply, error: ServerError): FastifyReply {
  const { statusCode, headers, body } = wireAnswer(error);
  return reply.code(statusCode).headers(headers).send(body);
}

/**
 * The one error handler: whatever a route throws, or Fastify refuses, becomes an error of the
 * catalogue, is logged by its code, and is answered as `wireAnswer` says.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((cause: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const error = request.routeOptions.config.oauthErrors ? oauthErrorOf(cause) : apiErrorOf(cause, bodyLimit);
    logRefusal(request, cause, error);
    return send(reply, error);
  });
  app.setNotFoundHandler((request, reply) => send(reply, routeNotFound(request.method, request.url.split('?')[0]!)));
}
