import { OAuthError, Unauthorized, type BearerErrorCode, type RefusedCredential } from './server-error';

// 401 of the API (RFC 6750), answered with no body.
const unauthorized = (code: string, error: BearerErrorCode, message: string, credential?: RefusedCredential) =>
  new Unauthorized(code, error, message, credential);
export const tokenMissing = () => unauthorized('AF_ERR_TOKEN_MISSING', undefined, 'An access token is required');
export const tokenMalformed = () =>
  unauthorized('AF_ERR_TOKEN_MALFORMED', 'invalid_token', 'The Authorization header must be Bearer {accessToken}');
export const tokenUnknown = () =>
  unauthorized('AF_ERR_TOKEN_UNKNOWN', 'invalid_token', 'The access token is unknown or has expired');
export const tokenLacksScope = (scope: string) =>
  unauthorized('AF_ERR_TOKEN_SCOPE', 'insufficient_scope', `The access token lacks the ${scope} scope`);
export const apiKeyRefused = () =>
  unauthorized('AF_ERR_API_KEY_REFUSED', 'invalid_request', 'The x-api-key header is missing or unknown', 'api-key');

// The token endpoint's refusals (RFC 6749 §5.2).
const invalidRequest = (code: string, message: string) => new OAuthError(code, 'invalid_request', message);
const invalidClient = (code: string, message: string) => new OAuthError(code, 'invalid_client', message);
export const grantInvalid = (field: string, detail: string) =>
  invalidRequest('AF_ERR_GRANT_INVALID', `${field} ${detail}`);
export const grantTypeUnsupported = () =>
  new OAuthError(
    'AF_ERR_GRANT_TYPE_UNSUPPORTED',
    'unsupported_grant_type',
    'Only the client_credentials grant is supported',
  );
export const grantMediaType = () =>
  invalidRequest('AF_ERR_GRANT_MEDIA_TYPE', 'The request must be application/x-www-form-urlencoded');
/** Fastify's own refusals of a token request, whose messages are fit to show. */
export const grantRefused = (message: string) => invalidRequest('AF_ERR_GRANT_REFUSED', message);
export const grantBodyMissing = () =>
  invalidRequest('AF_ERR_GRANT_BODY_MISSING', 'The grant is required, as an application/x-www-form-urlencoded body');
export const grantScopeInvalid = (scope: string) =>
  new OAuthError('AF_ERR_GRANT_SCOPE_INVALID', 'invalid_scope', `The scope must be ${scope}`);
export const clientAuthenticationTwice = () =>
  invalidRequest(
    'AF_ERR_CLIENT_AUTHENTICATION_TWICE',
    'Authenticate the client with HTTP Basic or with form fields, not both',
  );
export const clientAuthenticationFailed = () =>
  invalidClient('AF_ERR_CLIENT_AUTHENTICATION_FAILED', 'Client authentication failed');
export const clientBasicMalformed = () =>
  invalidClient('AF_ERR_CLIENT_BASIC_MALFORMED', 'The Authorization header must be Basic client_id:client_secret');
export const clientBasicNotFormEncoded = () =>
  invalidClient('AF_ERR_CLIENT_BASIC_NOT_FORM_ENCODED', 'The Basic credentials are not form-encoded');
export const clientAuthenticationThrottled = (retryAfterSeconds: number) =>
  new OAuthError(
    'AF_ERR_CLIENT_AUTHENTICATION_THROTTLED',
    'slow_down',
    'Too many failed client authentications: try again later',
    {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    },
  );
export const tokenRequestFailed = () =>
  new OAuthError('AF_ERR_TOKEN_REQUEST_FAILED', 'server_error', 'An unexpected error occurred');
export const tokenLimitUnchecked = (cause: unknown) =>
  Object.assign(
    new OAuthError(
      'AF_ERR_TOKEN_LIMIT_UNCHECKED',
      'temporarily_unavailable',
      'The failed authentications could not be checked: the store does not answer; try again shortly',
      { 'retry-after': '1' },
    ),
    { cause },
  );
