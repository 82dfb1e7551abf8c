import { ErrorResponseFromJSON, OauthErrorFromJSON } from '@autofacilitate/client';
import { AuthError, errorClassForStatus, errorDetail, type AutoFacilitateError, type ErrorDetail, type OperationId } from '../errors';
import { parseRetryAfter } from './retry-after';

/** The server's request id, under the names servers commonly use. */
export function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? undefined;
}

/** Reads an error response's body: JSON when it is JSON, `undefined` when it is empty or not JSON. */
async function readErrorBody(response: Response): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  if (text.trim() === '') return undefined;
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'The access token was refused',
  403: 'The client is not allowed to do this',
  404: 'Not found',
  429: 'Too many requests',
};

/**
 * Turns a non-2xx response into the matching error subclass. The API's bodies are read with the
 * generated decoders: `ErrorResponse` for the API, RFC 6749 `oauthError` for the token service.
 */
export async function errorFromResponse(response: Response, operation: OperationId, now: number): Promise<AutoFacilitateError> {
  const { status } = response;
  const body = await readErrorBody(response);
  const common = {
    status,
    operation,
    requestId: requestIdOf(response),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
  };
  const wwwAuthenticate = response.headers.get('www-authenticate') ?? undefined;
  const fallback = `${operation} answered ${status}${response.statusText ? ` ${response.statusText}` : ''}`;

  if (operation === 'getAccessToken' && status >= 400 && status < 500 && status !== 429) {
    const oauth = body && typeof body.error === 'string' ? OauthErrorFromJSON(body) : undefined;
    const message = oauth
      ? `The token service refused the client: ${oauth.error}${oauth.errorDescription ? ` (${oauth.errorDescription})` : ''}`
      : `The token service refused the client (${status})`;
    return new AuthError(message, { ...common, oauthError: oauth?.error, oauthErrorDescription: oauth?.errorDescription, wwwAuthenticate });
  }

  const wire = body ? ErrorResponseFromJSON(body) : undefined;
  // A 401 has no body (the seed); its challenge may say why (RFC 6750 §3 error_description).
  const challenge = wwwAuthenticate && /error_description="([^"]*)"/.exec(wwwAuthenticate)?.[1];
  const message = (typeof wire?.message === 'string' && wire.message) || [DEFAULT_MESSAGES[status] ?? fallback, challenge].filter(Boolean).join(': ');
  const init = { ...common, code: wire?.code, errors: detailsOf(wire?.errors) };
  const ErrorClass = errorClassForStatus(status);
  return ErrorClass === AuthError ? new AuthError(message, { ...init, wwwAuthenticate }) : new ErrorClass(message, init);
}

/** The entries of `ErrorResponse.errors`, each kept to its documented fields. */
function detailsOf(errors: unknown): ErrorDetail[] | undefined {
  if (!Array.isArray(errors)) return undefined;
  return errors.map(errorDetail).filter((detail): detail is ErrorDetail => detail !== undefined);
}
