import * as catalogue from '../src/errors/catalogue';
import { ServerError } from '../src/errors/server-error';
import { wireAnswer } from '../src/errors/wire-answer';

// Each error of the catalogue, made with sample arguments, and the answer a client receives for it.
type Factory = Exclude<keyof typeof catalogue, 'ConfigError' | 'CallbackFailure' | 'IdempotencyKeyLost'>;

const refusal = (status: number, headline: string, scope: string, reason: string, message: string, headers = {}) => ({
  statusCode: status,
  headers,
  body: { code: String(status), message: headline, errors: [{ scope, reason, message }] },
});
const invalid = (scope: string, message: string) =>
  refusal(400, 'Validation exception', scope, 'Invalid request', message);
const unprocessable = (scope: string, message: string) =>
  refusal(422, 'Unprocessable Entity', scope, 'Unprocessable Entity', message);
const notFound = (scope: string, message: string) => refusal(404, 'Not found', scope, 'Not found', message);
const bearer = (challenge: string, credential = 'access-token') => ({
  statusCode: 401,
  headers: { 'www-authenticate': `Bearer realm="autofacilitate"${challenge}`, 'refused-credential': credential },
});
const adminChallenge = { 'www-authenticate': 'Bearer realm="autofacilitate-admin"' };
const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
const oauth = (status: number, error: string, description: string) => ({
  statusCode: status,
  headers: status === 401 ? { ...noStore, 'www-authenticate': 'Basic realm="autofacilitate"' } : noStore,
  body: { error, error_description: description },
});

const cases: Record<Factory, [ServerError, string, object]> = {
  schemaViolation: [
    catalogue.schemaViolation('body.callbackUrls[0]', 'must be string'),
    'AF_ERR_SCHEMA_VIOLATION',
    invalid('body.callbackUrls[0]', 'body.callbackUrls[0] must be string'),
  ],
  bodyEmpty: [catalogue.bodyEmpty(), 'AF_ERR_BODY_EMPTY', invalid('body', 'The request body is empty')],
  bodyNotUtf8: [
    catalogue.bodyNotUtf8(),
    'AF_ERR_BODY_NOT_UTF8',
    invalid('body', 'The request body is not valid UTF-8'),
  ],
  bodyNotJson: [catalogue.bodyNotJson(), 'AF_ERR_BODY_NOT_JSON', invalid('body', 'The request body is not valid JSON')],
  bodyRequired: [
    catalogue.bodyRequired(),
    'AF_ERR_BODY_REQUIRED',
    invalid('body', 'A body is required: send the trigger as application/json or application/xml'),
  ],
  xmlDoctype: [
    catalogue.xmlDoctype(),
    'AF_ERR_XML_DOCTYPE',
    invalid('body', 'XML documents with a DOCTYPE or entity declarations are not accepted'),
  ],
  xmlEncoding: [
    catalogue.xmlEncoding('UTF-16'),
    'AF_ERR_XML_ENCODING',
    invalid('body', 'XML must be encoded in UTF-8, not UTF-16'),
  ],
  xmlMalformed: [
    catalogue.xmlMalformed('Unexpected end', 2, 7),
    'AF_ERR_XML_MALFORMED',
    invalid('body', 'The XML is not well-formed: Unexpected end (line 2, column 7)'),
  ],
  xmlRoot: [catalogue.xmlRoot(), 'AF_ERR_XML_ROOT', invalid('body', 'The XML document element must be <root>')],
  xmlMixedContent: [
    catalogue.xmlMixedContent('root.triggerParameters'),
    'AF_ERR_XML_MIXED_CONTENT',
    invalid('root.triggerParameters', '<triggerParameters> mixes text and elements'),
  ],
  callbackUrlMalformed: [
    catalogue.callbackUrlMalformed(1, 'must be an http:// or https:// URL'),
    'AF_ERR_CALLBACK_URL_MALFORMED',
    invalid('body.callbackUrls[1]', 'body.callbackUrls[1] must be an http:// or https:// URL'),
  ],
  urlMalformed: [
    catalogue.urlMalformed(),
    'AF_ERR_URL_MALFORMED',
    invalid('path', 'The URL is not valid: a percent-encoding is broken'),
  ],
  requestMalformed: [
    catalogue.requestMalformed(),
    'AF_ERR_REQUEST_MALFORMED',
    invalid('global', 'The request is not valid HTTP/1.1'),
  ],
  methodNotAllowed: [
    catalogue.methodNotAllowed('PUT', ['GET', 'HEAD']),
    'AF_ERR_METHOD_NOT_ALLOWED',
    refusal(405, 'Method Not Allowed', 'method', 'Method Not Allowed', 'PUT is not allowed here: use GET or HEAD', {
      allow: 'GET, HEAD',
    }),
  ],
  requestTimeout: [
    catalogue.requestTimeout(30000),
    'AF_ERR_REQUEST_TIMEOUT',
    refusal(408, 'Request Timeout', 'global', 'Request Timeout', 'The request was not received within 30000 ms'),
  ],
  urlTooLong: [
    catalogue.urlTooLong(100),
    'AF_ERR_URL_TOO_LONG',
    refusal(414, 'URI Too Long', 'path', 'URI Too Long', 'A path parameter is longer than 100 characters'),
  ],
  headersTooLarge: [
    catalogue.headersTooLarge(),
    'AF_ERR_HEADERS_TOO_LARGE',
    refusal(
      431,
      'Request Header Fields Too Large',
      'header',
      'Request Header Fields Too Large',
      'The request headers are larger than the server accepts',
    ),
  ],
  requestRefused: [
    catalogue.requestRefused(400, 'global', 'Bad URL'),
    'AF_ERR_REQUEST_REFUSED',
    invalid('global', 'Bad URL'),
  ],
  routeNotFound: [
    catalogue.routeNotFound('GET', '/nowhere'),
    'AF_ERR_ROUTE_NOT_FOUND',
    notFound('path', 'No operation at GET /nowhere'),
  ],
  operationNotServedHere: [
    catalogue.operationNotServedHere('POST', '/via/v2/organizations/acme/autoFacilitate/execute/echo'),
    'AF_ERR_OPERATION_NOT_SERVED_HERE',
    notFound(
      'path',
      'This is a worker process (--role worker): it answers GET /healthz and GET /metrics only; send POST /via/v2/organizations/acme/autoFacilitate/execute/echo to an API process',
    ),
  ],
  organisationNotFound: [
    catalogue.organisationNotFound('globex'),
    'AF_ERR_ORGANISATION_NOT_FOUND',
    notFound('path.orgId', 'Organisation globex not found'),
  ],
  serviceNotFound: [
    catalogue.serviceNotFound('acme', 'nope'),
    'AF_ERR_SERVICE_NOT_FOUND',
    notFound('path.vsn', 'Service nope not found in organisation acme'),
  ],
  triggerNotFound: [
    catalogue.triggerNotFound('0b7f'),
    'AF_ERR_TRIGGER_NOT_FOUND',
    notFound('path.triggerUUID', 'Trigger 0b7f not found'),
  ],
  idempotencyKeyInFlight: [
    catalogue.idempotencyKeyInFlight(),
    'AF_ERR_IDEMPOTENCY_KEY_IN_FLIGHT',
    refusal(
      409,
      'Conflict',
      'header.Idempotency-Key',
      'Request in progress',
      'A request with this Idempotency-Key is still being handled',
    ),
  ],
  idempotencyKeyTakenOver: [
    catalogue.idempotencyKeyTakenOver(),
    'AF_ERR_IDEMPOTENCY_KEY_TAKEN_OVER',
    refusal(
      409,
      'Conflict',
      'header.Idempotency-Key',
      'Request in progress',
      'Another request took this Idempotency-Key over',
    ),
  ],
  bodyTooLarge: [
    catalogue.bodyTooLarge(1024),
    'AF_ERR_BODY_TOO_LARGE',
    refusal(413, 'Payload Too Large', 'body', 'Payload Too Large', 'The request body is larger than 1024 bytes'),
  ],
  mediaTypeUnsupported: [
    catalogue.mediaTypeUnsupported(),
    'AF_ERR_MEDIA_TYPE_UNSUPPORTED',
    refusal(
      415,
      'Unsupported Media Type',
      'body',
      'Unsupported Media Type',
      'Send the body as application/json or application/xml',
    ),
  ],
  parameterRefused: [
    catalogue.parameterRefused('customerId', 'customerId is required'),
    'AF_ERR_PARAMETER_REFUSED',
    unprocessable('body.triggerParameters.customerId', 'customerId is required'),
  ],
  callbackUrlUnreachable: [
    catalogue.callbackUrlUnreachable(2, '127.0.0.1 is a loopback address'),
    'AF_ERR_CALLBACK_URL_UNREACHABLE',
    unprocessable('body.callbackUrls[2]', 'Callbacks are not delivered there: 127.0.0.1 is a loopback address'),
  ],
  callbacksUnsigned: [
    catalogue.callbacksUnsigned('acme'),
    'AF_ERR_CALLBACKS_UNSIGNED',
    unprocessable('body.callbackUrls', 'The organisation acme has no secret to sign callbacks with'),
  ],
  idempotencyKeyReused: [
    catalogue.idempotencyKeyReused(),
    'AF_ERR_IDEMPOTENCY_KEY_REUSED',
    unprocessable(
      'header.Idempotency-Key',
      'This Idempotency-Key was used with another request: use a new key for a new request',
    ),
  ],
  triggerOfAnotherService: [
    catalogue.triggerOfAnotherService('0b7f', 'echo', 'sleep'),
    'AF_ERR_TRIGGER_OF_ANOTHER_SERVICE',
    unprocessable('path.vsn', 'Trigger 0b7f was started by the service echo, not sleep'),
  ],
  unprocessable: [
    catalogue.unprocessable([
      catalogue.callbackUrlUnreachable(0, 'localhost is always the loopback address'),
      catalogue.callbacksUnsigned('acme'),
    ]),
    'AF_ERR_UNPROCESSABLE',
    {
      statusCode: 422,
      headers: {},
      body: {
        code: '422',
        message: 'Unprocessable Entity',
        errors: [
          {
            scope: 'body.callbackUrls[0]',
            reason: 'Unprocessable Entity',
            message: 'Callbacks are not delivered there: localhost is always the loopback address',
          },
          {
            scope: 'body.callbackUrls',
            reason: 'Unprocessable Entity',
            message: 'The organisation acme has no secret to sign callbacks with',
          },
        ],
      },
    },
  ],
  rateLimited: [
    catalogue.rateLimited(0.2, 'acme-client', 50, 100),
    'AF_ERR_RATE_LIMITED',
    refusal(
      429,
      'Too Many Requests',
      'global',
      'Rate limit exceeded',
      'The client acme-client may start at most 50 triggers per second (bursts of 100)',
      { 'retry-after': '1' },
    ),
  ],
  queueFull: [
    catalogue.queueFull(4.5, 'acme'),
    'AF_ERR_QUEUE_FULL',
    refusal(
      429,
      'Too Many Requests',
      'global',
      'Queue full',
      'The organisation acme has as many unfinished triggers as it may have',
      { 'retry-after': '5' },
    ),
  ],
  queueBacklogged: [
    catalogue.queueBacklogged(13.2, 'acme', 43.2, 30),
    'AF_ERR_QUEUE_BACKLOGGED',
    refusal(
      429,
      'Too Many Requests',
      'global',
      'Queue full',
      "The organisation acme's unfinished triggers would take 44 s to finish at the workers' current pace, longer than the 30 s a new trigger may wait",
      { 'retry-after': '14' },
    ),
  ],
  limitUnchecked: [
    catalogue.limitUnchecked('execute rate limit', new Error('connection refused')),
    'AF_ERR_LIMIT_UNCHECKED',
    refusal(
      503,
      'Service Unavailable',
      'global',
      'Service Unavailable',
      'The execute rate limit could not be checked: the store does not answer; try again shortly',
      { 'retry-after': '1' },
    ),
  ],
  internalError: [
    catalogue.internalError(),
    'AF_ERR_INTERNAL',
    refusal(500, 'Internal server error', 'global', 'Internal server error', 'An unexpected error occurred'),
  ],
  tokenMissing: [catalogue.tokenMissing(), 'AF_ERR_TOKEN_MISSING', bearer('')],
  tokenMalformed: [
    catalogue.tokenMalformed(),
    'AF_ERR_TOKEN_MALFORMED',
    bearer(', error="invalid_token", error_description="The Authorization header must be Bearer {accessToken}"'),
  ],
  tokenUnknown: [
    catalogue.tokenUnknown(),
    'AF_ERR_TOKEN_UNKNOWN',
    bearer(', error="invalid_token", error_description="The access token is unknown or has expired"'),
  ],
  tokenLacksScope: [
    catalogue.tokenLacksScope('autofacilitateapi'),
    'AF_ERR_TOKEN_SCOPE',
    bearer(
      ', error="insufficient_scope", error_description="The access token lacks the autofacilitateapi scope", scope="autofacilitateapi"',
    ),
  ],
  apiKeyRefused: [
    catalogue.apiKeyRefused(),
    'AF_ERR_API_KEY_REFUSED',
    bearer(', error="invalid_request", error_description="The x-api-key header is missing or unknown"', 'api-key'),
  ],
  adminKeyMissing: [
    catalogue.adminKeyMissing(),
    'AF_ERR_ADMIN_KEY_MISSING',
    refusal(401, 'Unauthorized', 'header.Authorization', 'Unauthorized', 'An admin key is required', adminChallenge),
  ],
  adminKeyMalformed: [
    catalogue.adminKeyMalformed(),
    'AF_ERR_ADMIN_KEY_MALFORMED',
    refusal(
      401,
      'Unauthorized',
      'header.Authorization',
      'Unauthorized',
      'The Authorization header must be Bearer {adminKey}',
      adminChallenge,
    ),
  ],
  adminKeyUnknown: [
    catalogue.adminKeyUnknown(),
    'AF_ERR_ADMIN_KEY_UNKNOWN',
    refusal(401, 'Unauthorized', 'header.Authorization', 'Unauthorized', 'The admin key is unknown', adminChallenge),
  ],
  adminAccessToken: [
    catalogue.adminAccessToken(),
    'AF_ERR_ADMIN_ACCESS_TOKEN',
    refusal(
      403,
      'Forbidden',
      'header.Authorization',
      'Forbidden',
      'Admin operations need an admin key, not an access token',
    ),
  ],
  adminDeliveryNotFound: [
    catalogue.adminDeliveryNotFound('0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', 7),
    'AF_ERR_ADMIN_DELIVERY_NOT_FOUND',
    notFound('path.deliveryId', 'Trigger 0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d has no delivery 7'),
  ],
  adminDeliveryInFlight: [
    catalogue.adminDeliveryInFlight(7),
    'AF_ERR_ADMIN_DELIVERY_IN_FLIGHT',
    refusal(409, 'Conflict', 'path.deliveryId', 'Attempt in progress', 'An attempt at delivery 7 is under way'),
  ],
  consoleCrossSite: [
    catalogue.consoleCrossSite('header.Origin', 'The request comes from another origin (https://evil.example)'),
    'AF_ERR_CONSOLE_CROSS_SITE',
    refusal(
      403,
      'Forbidden',
      'header.Origin',
      'Forbidden',
      'The request comes from another origin (https://evil.example)',
    ),
  ],
  consoleSessionMissing: [
    catalogue.consoleSessionMissing(),
    'AF_ERR_CONSOLE_SESSION_MISSING',
    refusal(
      401,
      'Unauthorized',
      'cookie.autofacilitate_admin_session',
      'Unauthorized',
      'The console session is missing, expired or signed out',
      adminChallenge,
    ),
  ],
  consoleSignInRefused: [
    catalogue.consoleSignInRefused(),
    'AF_ERR_CONSOLE_ADMIN_KEY_UNKNOWN',
    refusal(401, 'Unauthorized', 'body.adminKey', 'Unauthorized', 'The admin key is unknown', adminChallenge),
  ],
  grantInvalid: [
    catalogue.grantInvalid('grant_type', 'must be string'),
    'AF_ERR_GRANT_INVALID',
    oauth(400, 'invalid_request', 'grant_type must be string'),
  ],
  grantTypeUnsupported: [
    catalogue.grantTypeUnsupported(),
    'AF_ERR_GRANT_TYPE_UNSUPPORTED',
    oauth(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported'),
  ],
  grantMediaType: [
    catalogue.grantMediaType(),
    'AF_ERR_GRANT_MEDIA_TYPE',
    oauth(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded'),
  ],
  grantRefused: [catalogue.grantRefused('Bad URL'), 'AF_ERR_GRANT_REFUSED', oauth(400, 'invalid_request', 'Bad URL')],
  grantBodyMissing: [
    catalogue.grantBodyMissing(),
    'AF_ERR_GRANT_BODY_MISSING',
    oauth(400, 'invalid_request', 'The grant is required, as an application/x-www-form-urlencoded body'),
  ],
  grantScopeInvalid: [
    catalogue.grantScopeInvalid('autofacilitateapi'),
    'AF_ERR_GRANT_SCOPE_INVALID',
    oauth(400, 'invalid_scope', 'The scope must be autofacilitateapi'),
  ],
  clientAuthenticationTwice: [
    catalogue.clientAuthenticationTwice(),
    'AF_ERR_CLIENT_AUTHENTICATION_TWICE',
    oauth(400, 'invalid_request', 'Authenticate the client with HTTP Basic or with form fields, not both'),
  ],
  clientAuthenticationFailed: [
    catalogue.clientAuthenticationFailed(),
    'AF_ERR_CLIENT_AUTHENTICATION_FAILED',
    oauth(401, 'invalid_client', 'Client authentication failed'),
  ],
  clientBasicMalformed: [
    catalogue.clientBasicMalformed(),
    'AF_ERR_CLIENT_BASIC_MALFORMED',
    oauth(401, 'invalid_client', 'The Authorization header must be Basic client_id:client_secret'),
  ],
  clientBasicNotFormEncoded: [
    catalogue.clientBasicNotFormEncoded(),
    'AF_ERR_CLIENT_BASIC_NOT_FORM_ENCODED',
    oauth(401, 'invalid_client', 'The Basic credentials are not form-encoded'),
  ],
  clientAuthenticationThrottled: [
    catalogue.clientAuthenticationThrottled(4.2),
    'AF_ERR_CLIENT_AUTHENTICATION_THROTTLED',
    {
      statusCode: 429,
      headers: { 'retry-after': '5', ...noStore },
      body: { error: 'slow_down', error_description: 'Too many failed client authentications: try again later' },
    },
  ],
  tokenRequestFailed: [
    catalogue.tokenRequestFailed(),
    'AF_ERR_TOKEN_REQUEST_FAILED',
    oauth(500, 'server_error', 'An unexpected error occurred'),
  ],
  tokenLimitUnchecked: [
    catalogue.tokenLimitUnchecked(new Error('connection refused')),
    'AF_ERR_TOKEN_LIMIT_UNCHECKED',
    {
      statusCode: 503,
      headers: { 'retry-after': '1', ...noStore },
      body: {
        error: 'temporarily_unavailable',
        error_description:
          'The failed authentications could not be checked: the store does not answer; try again shortly',
      },
    },
  ],
};

test.each(Object.entries(cases))(
  '%s: its code, status and message become the wire answer',
  (_name, [error, code, answer]) => {
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe(code);
    expect(wireAnswer(error)).toEqual(answer);
    expect(wireAnswer(error).statusCode).toBe(error.statusCode);
  },
);

test('every code is declared once', () => {
  const codes = Object.values(cases).map(([, code]) => code);
  expect(new Set(codes).size).toBe(codes.length);
});

test('errors that stay inside the server carry their code, and answer as an internal error', () => {
  const internal = wireAnswer(catalogue.internalError());
  const inside: Array<[ServerError, string]> = [
    [new catalogue.ConfigError('config.yaml: server.port must be a number'), 'AF_ERR_CONFIG'],
    [new catalogue.CallbackFailure('timeout', 'no answer within 10 ms'), 'AF_ERR_CALLBACK_TIMEOUT'],
    [new catalogue.CallbackFailure('refused', 'refused: loopback'), 'AF_ERR_CALLBACK_REFUSED'],
    [new catalogue.CallbackFailure('network', 'ECONNRESET'), 'AF_ERR_CALLBACK_NETWORK'],
    [new catalogue.IdempotencyKeyLost('order-7'), 'AF_ERR_IDEMPOTENCY_KEY_LOST'],
  ];
  for (const [error, code] of inside) {
    expect(`${error.name} ${error.code}`).toBe(`${error.constructor.name} ${code}`);
    expect(wireAnswer(error)).toEqual(internal);
  }
  expect(new catalogue.IdempotencyKeyLost('order-7').message).toBe(
    'The Idempotency-Key order-7 is no longer held by this request',
  );
});
