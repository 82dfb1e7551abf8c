import { refusal } from './refusal';
import { ApiError } from './server-error';

// The refusals of the admin operations. A 401 here has an `ErrorResponse` body: Alvaria's API
// reference documents none for its own operations, but these are the toolkit's.

const authorization = 'header.Authorization';
const challenge = { 'www-authenticate': 'Bearer realm="autofacilitate-admin"' };

const unauthorized = (code: string, message: string) =>
  new ApiError(code, 401, [{ code, scope: authorization, reason: 'Unauthorized', message }], challenge);

export const adminKeyMissing = () => unauthorized('AF_ERR_ADMIN_KEY_MISSING', 'An admin key is required');
export const adminKeyMalformed = () =>
  unauthorized('AF_ERR_ADMIN_KEY_MALFORMED', 'The Authorization header must be Bearer {adminKey}');
export const adminKeyUnknown = () => unauthorized('AF_ERR_ADMIN_KEY_UNKNOWN', 'The admin key is unknown');
export const adminAccessToken = () =>
  refusal(
    'AF_ERR_ADMIN_ACCESS_TOKEN',
    403,
    authorization,
    'Admin operations need an admin key, not an access token',
    'Forbidden',
  );

export const adminDeliveryNotFound = (triggerUUID: string, deliveryId: number) =>
  refusal(
    'AF_ERR_ADMIN_DELIVERY_NOT_FOUND',
    404,
    'path.deliveryId',
    `Trigger ${triggerUUID} has no delivery ${deliveryId}`,
  );
export const adminDeliveryInFlight = (deliveryId: number) =>
  refusal(
    'AF_ERR_ADMIN_DELIVERY_IN_FLIGHT',
    409,
    'path.deliveryId',
    `An attempt at delivery ${deliveryId} is under way`,
    'Attempt in progress',
  );

export const consoleCrossSite = (scope: string, message: string) =>
  refusal('AF_ERR_CONSOLE_CROSS_SITE', 403, scope, message, 'Forbidden');
export const consoleSessionMissing = () =>
  new ApiError(
    'AF_ERR_CONSOLE_SESSION_MISSING',
    401,
    [
      {
        code: 'AF_ERR_CONSOLE_SESSION_MISSING',
        scope: 'cookie.autofacilitate_admin_session',
        reason: 'Unauthorized',
        message: 'The console session is missing, expired or signed out',
      },
    ],
    challenge,
  );
export const consoleSignInRefused = () =>
  new ApiError(
    'AF_ERR_CONSOLE_ADMIN_KEY_UNKNOWN',
    401,
    [
      {
        code: 'AF_ERR_CONSOLE_ADMIN_KEY_UNKNOWN',
        scope: 'body.adminKey',
        reason: 'Unauthorized',
        message: 'The admin key is unknown',
      },
    ],
    challenge,
  );
