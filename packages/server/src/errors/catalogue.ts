import { refusal, slowDown, unavailable } from './refusal';
import { ApiError, type Problem } from './server-error';

// Every error the server raises, declared once with its stable code, its status and its message,
// as Fastify's `lib/errors.js` declares Fastify's. Typed factories rather than @fastify/error:
// its messages are untyped printf templates, and an `ErrorResponse` also needs each problem's
// scope. `wire-answer.ts` is the one place that turns any of them into what a client receives.

// The refusals of the token endpoint and of the API's bearer tokens, and the errors that never
// reach a client, are declared beside this file and are part of the same catalogue.
export * from './auth-errors';
export * from './admin-errors';
export * from './internal-errors';

const keyScope = 'header.Idempotency-Key';

// 400: the request is malformed.
export const schemaViolation = (scope: string, detail: string) =>
  refusal('AF_ERR_SCHEMA_VIOLATION', 400, scope, `${scope} ${detail}`);
export const bodyEmpty = () => refusal('AF_ERR_BODY_EMPTY', 400, 'body', 'The request body is empty');
export const bodyNotUtf8 = () => refusal('AF_ERR_BODY_NOT_UTF8', 400, 'body', 'The request body is not valid UTF-8');
export const bodyNotJson = () => refusal('AF_ERR_BODY_NOT_JSON', 400, 'body', 'The request body is not valid JSON');
export const bodyRequired = () =>
  refusal(
    'AF_ERR_BODY_REQUIRED',
    400,
    'body',
    'A body is required: send the trigger as application/json or application/xml',
  );
export const xmlDoctype = () =>
  refusal('AF_ERR_XML_DOCTYPE', 400, 'body', 'XML documents with a DOCTYPE or entity declarations are not accepted');
export const xmlEncoding = (encoding: string) =>
  refusal('AF_ERR_XML_ENCODING', 400, 'body', `XML must be encoded in UTF-8, not ${encoding}`);
export const xmlMalformed = (detail: string, line: number, column: number) =>
  refusal(
    'AF_ERR_XML_MALFORMED',
    400,
    'body',
    `The XML is not well-formed: ${detail} (line ${line}, column ${column})`,
  );
export const xmlRoot = () => refusal('AF_ERR_XML_ROOT', 400, 'body', 'The XML document element must be <root>');
export const xmlMixedContent = (path: string) =>
  refusal('AF_ERR_XML_MIXED_CONTENT', 400, path, `<${path.split('.').pop()}> mixes text and elements`);
export const callbackUrlMalformed = (index: number, why: string) =>
  refusal('AF_ERR_CALLBACK_URL_MALFORMED', 400, `body.callbackUrls[${index}]`, `body.callbackUrls[${index}] ${why}`);
export const urlMalformed = () =>
  refusal('AF_ERR_URL_MALFORMED', 400, 'path', 'The URL is not valid: a percent-encoding is broken');
/** What Node's HTTP parser refuses before any route sees the request. */
export const requestMalformed = () =>
  refusal('AF_ERR_REQUEST_MALFORMED', 400, 'global', 'The request is not valid HTTP/1.1');
/** Fastify's own refusals of a request (a bad Content-Length, a bad URL…), whose messages are fit to show. */
export const requestRefused = (statusCode: number, scope: string, message: string) =>
  refusal('AF_ERR_REQUEST_REFUSED', statusCode, scope, message, 'Invalid request');

// 404: the resource does not exist, or belongs to an organisation the caller is not part of.
export const routeNotFound = (method: string, path: string) =>
  refusal('AF_ERR_ROUTE_NOT_FOUND', 404, 'path', `No operation at ${method} ${path}`);
/** An operation sent to a worker process, which answers its probes only. */
export const operationNotServedHere = (method: string, path: string) =>
  refusal(
    'AF_ERR_OPERATION_NOT_SERVED_HERE',
    404,
    'path',
    `This is a worker process (--role worker): it answers GET /healthz and GET /metrics only; send ${method} ${path} to an API process`,
  );
export const organisationNotFound = (orgId: string) =>
  refusal('AF_ERR_ORGANISATION_NOT_FOUND', 404, 'path.orgId', `Organisation ${orgId} not found`);
export const serviceNotFound = (orgId: string, vsn: string) =>
  refusal('AF_ERR_SERVICE_NOT_FOUND', 404, 'path.vsn', `Service ${vsn} not found in organisation ${orgId}`);
export const triggerNotFound = (triggerUUID: string) =>
  refusal('AF_ERR_TRIGGER_NOT_FOUND', 404, 'path.triggerUUID', `Trigger ${triggerUUID} not found`);

// 405: the path exists, the method does not; `Allow` says which do.
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new ApiError(
    'AF_ERR_METHOD_NOT_ALLOWED',
    405,
    [
      {
        code: 'AF_ERR_METHOD_NOT_ALLOWED',
        scope: 'method',
        reason: 'Method Not Allowed',
        message: `${method} is not allowed here: use ${allowed.join(' or ')}`,
      },
    ],
    { allow: allowed.join(', ') },
  );

// 408: the client took too long to send its request.
export const requestTimeout = (timeoutMs: number) =>
  refusal('AF_ERR_REQUEST_TIMEOUT', 408, 'global', `The request was not received within ${timeoutMs} ms`);

// 409: another request holds the `Idempotency-Key` this one needs; retry once it is done.
export const idempotencyKeyInFlight = () =>
  refusal(
    'AF_ERR_IDEMPOTENCY_KEY_IN_FLIGHT',
    409,
    keyScope,
    'A request with this Idempotency-Key is still being handled',
    'Request in progress',
  );
export const idempotencyKeyTakenOver = () =>
  refusal(
    'AF_ERR_IDEMPOTENCY_KEY_TAKEN_OVER',
    409,
    keyScope,
    'Another request took this Idempotency-Key over',
    'Request in progress',
  );

// 413 and 415: the body is too large, or in a media type the operation does not read.
export const bodyTooLarge = (limitBytes: number) =>
  refusal('AF_ERR_BODY_TOO_LARGE', 413, 'body', `The request body is larger than ${limitBytes} bytes`);
export const mediaTypeUnsupported = (accepted = 'application/json or application/xml') =>
  refusal('AF_ERR_MEDIA_TYPE_UNSUPPORTED', 415, 'body', `Send the body as ${accepted}`);

// 414 and 431: the URL or the headers are longer than the server reads.
export const urlTooLong = (limit: number) =>
  refusal('AF_ERR_URL_TOO_LONG', 414, 'path', `A path parameter is longer than ${limit} characters`);
export const headersTooLarge = () =>
  refusal('AF_ERR_HEADERS_TOO_LARGE', 431, 'header', 'The request headers are larger than the server accepts');

// 422: what makes a request the spec's schemas accept unprocessable here (the configuration, the
// service or the state); `unprocessable` answers every such problem together.
const problem = (code: string, scope: string, message: string) => refusal(code, 422, scope, message);
const parameterScope = (name: string) => `body.triggerParameters.${name}`;
/** What a service's own check of its parameters found. */
export const parameterRefused = (name: string, message: string) =>
  problem('AF_ERR_PARAMETER_REFUSED', parameterScope(name), message);
export const callbackUrlUnreachable = (index: number, why: string) =>
  problem(
    'AF_ERR_CALLBACK_URL_UNREACHABLE',
    `body.callbackUrls[${index}]`,
    `Callbacks are not delivered there: ${why}`,
  );
export const callbacksUnsigned = (orgId: string) =>
  problem(
    'AF_ERR_CALLBACKS_UNSIGNED',
    'body.callbackUrls',
    `The organisation ${orgId} has no secret to sign callbacks with`,
  );
export const idempotencyKeyReused = () =>
  problem(
    'AF_ERR_IDEMPOTENCY_KEY_REUSED',
    keyScope,
    'This Idempotency-Key was used with another request: use a new key for a new request',
  );
export const triggerOfAnotherService = (triggerUUID: string, startedBy: string, asked: string) =>
  problem(
    'AF_ERR_TRIGGER_OF_ANOTHER_SERVICE',
    'path.vsn',
    `Trigger ${triggerUUID} was started by the service ${startedBy}, not ${asked}`,
  );
/** Several problems of one request, answered in one `ErrorResponse`. */
export const unprocessable = (errors: [ApiError, ...ApiError[]]) =>
  new ApiError('AF_ERR_UNPROCESSABLE', 422, errors.flatMap((error) => error.problems) as [Problem, ...Problem[]]);

// 429: slow down, for `Retry-After` seconds.
export const rateLimited = (retryAfterSeconds: number, clientId: string, perSecond: number, burst: number) =>
  slowDown(
    'AF_ERR_RATE_LIMITED',
    retryAfterSeconds,
    'Rate limit exceeded',
    `The client ${clientId} may start at most ${perSecond} triggers per second (bursts of ${burst})`,
  );
export const queueFull = (retryAfterSeconds: number, orgId: string) =>
  slowDown(
    'AF_ERR_QUEUE_FULL',
    retryAfterSeconds,
    'Queue full',
    `The organisation ${orgId} has as many unfinished triggers as it may have`,
  );
export const queueBacklogged = (
  retryAfterSeconds: number,
  orgId: string,
  waitSeconds: number,
  maxWaitSeconds: number,
) =>
  slowDown(
    'AF_ERR_QUEUE_BACKLOGGED',
    retryAfterSeconds,
    'Queue full',
    `The organisation ${orgId}'s unfinished triggers would take ${Math.ceil(waitSeconds)} s to finish at the ` +
      `workers' current pace, longer than the ${maxWaitSeconds} s a new trigger may wait`,
  );

// 503: the store does not answer; the details go to the log.
/** A limit (the rate, the queue) could not be checked: the request is refused rather than let through unchecked. */
export const limitUnchecked = (limit: string, cause: unknown) =>
  Object.assign(
    unavailable(
      'AF_ERR_LIMIT_UNCHECKED',
      `The ${limit} could not be checked: the store does not answer; try again shortly`,
    ),
    { cause },
  );

// 500: the details go to the log, never to the client.
export const internalError = () => refusal('AF_ERR_INTERNAL', 500, 'global', 'An unexpected error occurred');
