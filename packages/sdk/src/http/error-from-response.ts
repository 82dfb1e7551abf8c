import { ErrorResponseFromJSON, OauthErrorFromJSON } from '@autofacilitate/client';
import {
  AuthError,
  errorClassForStatus,
  errorDetail,
  ServerError,
  type AutoFacilitateError,
  type ErrorDetail,
  type OperationId,
} from '../errors';
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
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const DEFAULT_MESSAGES: Record<number, string> = {
  403: 'The client is not allowed to do this',
  404: 'Not found',
  429: 'Too many requests',
};

/** The API's header that names the credential a 401 refused: `access-token` or `api-key`. */
export const REFUSED_CREDENTIAL_HEADER = 'refused-credential';

/** Which credential a 401 of the API refused; the access token when the server does not say. */
export function refusedCredential(response: Response): 'accessToken' | 'apiKey' {
  return response.headers.get(REFUSED_CREDENTIAL_HEADER)?.trim().toLowerCase() === 'api-key' ? 'apiKey' : 'accessToken';
}

const REFUSED: Record<'accessToken' | 'apiKey', string> = {
  accessToken: 'The access token was refused',
  apiKey: 'The API key (x-api-key) was refused',
};

/**
 * Turns a non-2xx response into the matching error subclass. The API's bodies are read with the
 * generated decoders: `ErrorResponse` for the API, RFC 6749 `oauthError` for the token service
 * (its refusals, and its failures when it says why).
 * The message is the server's detail (`errors[].message`) when it gave one, as stripe-node's is.
 */
export async function errorFromResponse(
  response: Response,
  operation: OperationId,
  now: number,
): Promise<AutoFacilitateError> {
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
    return new AuthError(message, {
      ...common,
      credential: 'client',
      oauthError: oauth?.error,
      oauthErrorDescription: oauth?.errorDescription,
      wwwAuthenticate,
    });
  }

  if (operation === 'getAccessToken' && status >= 500 && body && typeof body.error === 'string') {
    const oauth = OauthErrorFromJSON(body);
    const why = oauth.errorDescription ? ` (${oauth.errorDescription})` : '';
    return new ServerError(`The token service failed: ${oauth.error}${why}`, {
      ...common,
      oauthError: oauth.error,
      oauthErrorDescription: oauth.errorDescription,
    });
  }

  const wire = body ? ErrorResponseFromJSON(body) : undefined;
  const errors = detailsOf(wire?.errors);
  const responseMessage = typeof wire?.message === 'string' && wire.message !== '' ? wire.message : undefined;
  const init = { ...common, code: wire?.code, errors, responseMessage };
  const details = (errors ?? [])
    .map((detail) => detail.message)
    .filter((message): message is string => Boolean(message));
  if (status === 401) {
    // A 401 has no body (Alvaria's API reference); its challenge may say why (RFC 6750 §3 error_description).
    const credential = refusedCredential(response);
    const why =
      details.length > 0
        ? details.join('; ')
        : wwwAuthenticate && /error_description="([^"]*)"/.exec(wwwAuthenticate)?.[1];
    return new AuthError([REFUSED[credential], why].filter(Boolean).join(': '), {
      ...init,
      credential,
      wwwAuthenticate,
    });
  }
  const message = details.length > 0 ? details.join('; ') : (responseMessage ?? DEFAULT_MESSAGES[status] ?? fallback);
  const ErrorClass = errorClassForStatus(status);
  return ErrorClass === AuthError
    ? new AuthError(message, { ...init, wwwAuthenticate })
    : new ErrorClass(message, init);
}

/** The entries of `ErrorResponse.errors`, each kept to its documented fields. */
function detailsOf(errors: unknown): ErrorDetail[] | undefined {
  if (!Array.isArray(errors)) return undefined;
  return errors.map(errorDetail).filter((detail): detail is ErrorDetail => detail !== undefined);
}
