import type { ErrorResponse, OauthError } from '@autofacilitate/types';
import { internalError } from './catalogue';
import { ApiError, OAuthError, Unauthorized, type ServerError } from './server-error';

/** What a client receives for an error: the status, the headers and the body, if any. */
export interface WireAnswer {
  statusCode: number;
  headers: Readonly<Record<string, string>>;
  body?: ErrorResponse | OauthError;
}

// The headline of each status, as the spec's examples word it.
const headlines: Record<number, string> = {
  400: 'Validation exception',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal server error',
  503: 'Service Unavailable',
};

/** The headline the `ErrorResponse.message` of a status carries. */
function headline(statusCode: number): string {
  return headlines[statusCode] ?? (statusCode >= 500 ? 'Internal server error' : 'Request refused');
}

/** The RFC 6750 §3 challenge of a 401. */
function challenge({ error, message }: Unauthorized): string {
  const parts = ['Bearer realm="autofacilitate"'];
  if (error) {
    parts.push(`error="${error}"`, `error_description="${message}"`);
    if (error === 'insufficient_scope') parts.push('scope="autofacilitateapi"');
  }
  return parts.join(', ');
}

/**
 * The one place any error of the catalogue becomes what a client receives: a 401 with no body and a
 * challenge, an OAuth error body (RFC 6749 §5.2) from the token endpoint, and the spec's
 * `ErrorResponse` for every other refusal. Errors that stay inside the server answer as a 500.
 */
export function wireAnswer(error: ServerError): WireAnswer {
  if (error instanceof Unauthorized) {
    // Which credential was refused, so that a client knows whether a new token could help.
    return {
      statusCode: 401,
      headers: { 'www-authenticate': challenge(error), 'refused-credential': error.credential },
    };
  }
  if (error instanceof OAuthError) {
    const headers: Record<string, string> = { ...error.headers, 'cache-control': 'no-store', pragma: 'no-cache' };
    if (error.statusCode === 401) headers['www-authenticate'] = 'Basic realm="autofacilitate"';
    return { statusCode: error.statusCode, headers, body: { error: error.error, error_description: error.message } };
  }
  if (!(error instanceof ApiError)) return wireAnswer(internalError());
  const body: ErrorResponse = {
    code: String(error.statusCode),
    message: headline(error.statusCode),
    errors: error.problems.map(({ scope, reason, message }) => ({ scope, reason, message })),
  };
  return { statusCode: error.statusCode, headers: error.headers, body };
}
