import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, badRequest, notFound, Unauthorized } from './api-error';

interface ValidationIssue {
  instancePath: string;
  message?: string;
}

// `/callbackUrls/0` → `callbackUrls[0]`, `/triggerParameters/key` → `triggerParameters.key`.
function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** Turns any error met while serving a request into the API's refusal. */
export function toApiError(error: FastifyError, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation && error.validation.length > 0) {
    const issue = error.validation[0] as ValidationIssue;
    const context = error.validationContext === 'params' ? 'path' : (error.validationContext ?? 'body');
    const field = dotted(issue.instancePath);
    const scope = field ? `${context}.${field}` : context;
    return badRequest(scope, `${scope} ${issue.message ?? 'is invalid'}`);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, [
        { scope: 'body', reason: 'Payload Too Large', message: `The request body is larger than ${bodyLimit} bytes` },
      ]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, [
        { scope: 'body', reason: 'Unsupported Media Type', message: 'Send the body as application/json or application/xml' },
      ]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('body', 'The request body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('body', 'The request body is not valid JSON');
  }
  const statusCode = error.statusCode ?? 500;
  if (statusCode >= 400 && statusCode < 500) {
    // Fastify's own client errors (bad Content-Length, bad URL…) carry messages fit to show.
    const scope = error.code?.startsWith('FST_ERR_CTP_') ? 'body' : 'global';
    return new ApiError(statusCode, [{ scope, reason: 'Invalid request', message: error.message }]);
  }
  return new ApiError(500, [{ scope: 'global', reason: 'Internal server error', message: 'An unexpected error occurred' }]);
}

/** Answers every failed request in the seed's `ErrorResponse` shape, and 401s with a challenge. */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof Unauthorized) {
      request.log.info({ reason: error.message }, 'unauthorized');
      return reply.code(401).header('www-authenticate', error.challenge()).send();
    }
    const apiError = toApiError(error, bodyLimit);
    if (apiError.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ problems: apiError.problems }, 'request refused');
    }
    return reply.code(apiError.statusCode).headers(apiError.headers).send(apiError.toResponse());
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(notFound('path', `No operation at ${request.method} ${request.url.split('?')[0]}`).toResponse()),
  );
}
