import type { FastifyError } from 'fastify';
import {
  bodyEmpty,
  bodyNotJson,
  bodyTooLarge,
  grantInvalid,
  grantMediaType,
  grantRefused,
  grantScopeInvalid,
  grantTypeUnsupported,
  internalError,
  mediaTypeUnsupported,
  requestRefused,
  schemaViolation,
  tokenRequestFailed,
} from '../errors/catalogue';
import { apiScope } from '../auth/token-issuer';
import { ServerError } from '../errors/server-error';

// Fastify reports what it refuses (a body too large, a schema broken…) with its own errors, and
// so does any other code with plain ones: these turn them into errors of our catalogue.

interface ValidationIssue {
  instancePath: string;
  keyword?: string;
  message?: string;
  params?: { missingProperty?: string };
}

const isClientError = (error: FastifyError) =>
  error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;

// `/callbackUrls/0` → `callbackUrls[0]`, `/triggerParameters/key` → `triggerParameters.key`.
function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

// Fastify's refusals of a body that the catalogue names.
const bodyErrors = new Map<string, (bodyLimit: number) => ServerError>([
  ['FST_ERR_CTP_BODY_TOO_LARGE', bodyTooLarge],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', () => mediaTypeUnsupported()],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', bodyEmpty],
  ['FST_ERR_CTP_INVALID_JSON_BODY', bodyNotJson],
]);

// Ajv's message for a pattern quotes the whole regular expression; the spec's only one is a callback URL's.
function detailOf(issue: ValidationIssue): string {
  if (issue.keyword === 'pattern' && /^\/callbackUrls\/\d+$/.test(issue.instancePath)) {
    return 'must be an http:// or https:// URL without credentials, its host a name or an IP address (schema urls)';
  }
  return issue.message ?? 'is invalid';
}

/** Any error met while serving an API request, as an error of the catalogue. */
export function apiErrorOf(error: FastifyError, bodyLimit: number): ServerError {
  if (error instanceof ServerError) return error;
  if (error.validation && error.validation.length > 0) {
    const issue = error.validation[0] as ValidationIssue;
    const context = error.validationContext === 'params' ? 'path' : (error.validationContext ?? 'body');
    const field = dotted(issue.instancePath);
    return schemaViolation(field ? `${context}.${field}` : context, detailOf(issue));
  }
  const bodyError = bodyErrors.get(error.code);
  if (bodyError) return bodyError(bodyLimit);
  // Fastify's own client errors (bad Content-Length, bad URL…) carry messages fit to show.
  if (isClientError(error)) {
    const scope = error.code?.startsWith('FST_ERR_CTP_') ? 'body' : 'global';
    return requestRefused(error.statusCode!, scope, error.message);
  }
  return internalError();
}

/** Any error met while serving a token request, as an error of the catalogue (RFC 6749 §5.2). */
export function oauthErrorOf(error: FastifyError): ServerError {
  if (error instanceof ServerError) return error;
  if (error.validation && error.validation.length > 0) {
    const issue = error.validation[0] as ValidationIssue;
    if (issue.instancePath === '/grant_type' && issue.keyword === 'enum') return grantTypeUnsupported();
    if (issue.instancePath === '/scope' && issue.keyword === 'enum') return grantScopeInvalid(apiScope);
    return grantInvalid(
      issue.instancePath.slice(1) || String(issue.params?.missingProperty ?? 'body'),
      issue.message ?? 'is invalid',
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return grantMediaType();
  if (isClientError(error)) return grantRefused(error.message);
  return tokenRequestFailed();
}
