import * as sdk from '@autofacilitate/sdk';
import {
  AuthError,
  AutoFacilitateError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '@autofacilitate/sdk';
import { empty, errorResponse, json, networkError } from './support/fake-api';
import { makeClient, rejection } from './support/make-client';

describe('every error status maps to its class', () => {
  test.each([
    [400, ValidationError],
    [401, AuthError],
    [403, AuthError],
    [404, NotFoundError],
    [409, AutoFacilitateError],
    [413, ValidationError],
    [415, ValidationError],
    [422, ValidationError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
  ])('%i → %p', async (status, ErrorClass) => {
    const { api, clock, client } = makeClient({ retry: false });
    api.script('execute', ...[errorResponse(status, { 'x-request-id': `req-${status}` }), errorResponse(status)]);

    const error = await clock.run(rejection(client.execute('ServerName')));

    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(AutoFacilitateError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(ErrorClass.kind);
    expect(error).toMatchObject({
      status,
      code: status,
      // The server's detail, as stripe-node's messages carry it; its headline is kept beside it.
      message: status === 401 ? `The access token was refused: detail ${status}` : `detail ${status}`,
      responseMessage: `failure ${status}`,
      errors: [{ scope: 'global', reason: 'Because', message: `detail ${status}` }],
      operation: 'executeService',
    });
    if (status !== 401) expect(error).toMatchObject({ requestId: `req-${status}` });
  });

  test('only the class that fits matches', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', errorResponse(404));
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect(error).not.toBeInstanceOf(TimeoutError);
  });
});

describe('ErrorResponse.code is normalised to a number', () => {
  test.each([
    ['"400" (Alvaria’s API reference examples)', '400', 400],
    ['400 (Alvaria’s API reference schema)', 400, 400],
    ['absent', undefined, 400],
    ['not a number', 'E_BAD', 400],
  ])('%s', async (_, code, expected) => {
    const { api, clock, client } = makeClient();
    api.script('execute', json(400, { ...(code === undefined ? {} : { code }), message: 'Validation exception' }));
    await expect(clock.run(client.execute('ServerName'))).rejects.toMatchObject({ code: expected, status: 400 });
  });

  test('a body that is not JSON still gives a useful error', async () => {
    const { api, clock, client } = makeClient({ retry: false });
    api.script('result', new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toMatchObject({
      name: 'ServerError',
      status: 502,
      code: 502,
      errors: [],
      message: 'getTriggerResult answered 502 Bad Gateway',
    });
  });

  test('a 401 without a body says why when its challenge does', async () => {
    const { api, clock, client } = makeClient();
    const challenge =
      'Bearer realm="autofacilitate", error="invalid_request", error_description="The x-api-key header is missing or unknown"';
    api.script('result', empty(401, { 'WWW-Authenticate': challenge }), empty(401, { 'WWW-Authenticate': challenge }));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toMatchObject({
      message: 'The access token was refused: The x-api-key header is missing or unknown',
      wwwAuthenticate: challenge,
    });
  });

  test('the message carries every detail of errors[], not the headline', async () => {
    const { api, clock, client } = makeClient();
    api.script(
      'execute',
      json(422, {
        code: '422',
        message: 'Unprocessable Entity',
        errors: [
          {
            scope: 'body.triggerParameters.customerId',
            reason: 'Unprocessable Entity',
            message: 'customerId is required',
          },
          {
            scope: 'body.callbackUrls',
            reason: 'Unprocessable Entity',
            message: 'The organisation demo has no secret to sign callbacks with',
          },
        ],
      }),
    );
    await expect(clock.run(client.execute('ServerName'))).rejects.toMatchObject({
      message: 'customerId is required; The organisation demo has no secret to sign callbacks with',
      responseMessage: 'Unprocessable Entity',
    });
  });

  test('without errors[] the headline is the message', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', json(404, { code: '404', message: 'Not found', errors: [] }));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toMatchObject({
      message: 'Not found',
      responseMessage: 'Not found',
    });
  });

  test('a refused API key is named, and costs no second token fetch', async () => {
    const { api, clock, client } = makeClient();
    const challenge =
      'Bearer realm="autofacilitate", error="invalid_request", error_description="The x-api-key header is missing or unknown"';
    api.script('result', empty(401, { 'WWW-Authenticate': challenge, 'Refused-Credential': 'api-key' }));
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      credential: 'apiKey',
      message: 'The API key (x-api-key) was refused: The x-api-key header is missing or unknown',
    });
    expect(api.seen('token')).toHaveLength(1);
    expect(api.seen('result')).toHaveLength(1);
  });

  test('a refused access token is named, after one new token', async () => {
    const { api, clock, client } = makeClient();
    const refused = () =>
      empty(401, {
        'WWW-Authenticate': 'Bearer realm="autofacilitate", error="invalid_token"',
        'Refused-Credential': 'access-token',
      });
    api.script('result', refused(), refused());
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toMatchObject({
      name: 'AuthError',
      credential: 'accessToken',
      message: 'The access token was refused',
    });
    expect(api.seen('token')).toHaveLength(2);
  });

  test('a client the token service refuses is named', async () => {
    const { api, clock, client } = makeClient();
    api.script(
      'token',
      json(
        401,
        { error: 'invalid_client', error_description: 'Client authentication failed' },
        { 'WWW-Authenticate': 'Basic realm="autofacilitate"' },
      ),
    );
    await expect(clock.run(client.execute('ServerName'))).rejects.toMatchObject({
      credential: 'client',
      oauthError: 'invalid_client',
    });
  });

  test('the request id is read from request-id too', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', empty(404, { 'request-id': 'abc' }));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toMatchObject({
      requestId: 'abc',
      message: 'Not found',
    });
  });
});

describe('errors without a response', () => {
  test('a network failure is a ConnectionError with the cause kept', async () => {
    const { api, clock, client } = makeClient({ retry: false });
    const failure = networkError('ECONNRESET');
    api.script('result', failure);
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ status: undefined, code: undefined, operation: 'getTriggerResult' });
    expect((error as Error).cause).toBe(failure);
  });

  test('a 2xx body that is not JSON is said plainly', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', new Response('OK', { status: 200 }));
    await expect(clock.run(client.execute('ServerName'))).rejects.toThrow(
      'executeService answered 200 with a body that is not JSON',
    );
  });

  test('an execute answer without a triggerUUID is refused', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', json(200, { message: 'ok' }));
    await expect(clock.run(client.execute('ServerName'))).rejects.toThrow('without a triggerUUID');
  });
});

describe('instanceof across two copies of the package', () => {
  // A second, independent load of the SDK: its classes are other objects, as with a CJS and an
  // ESM copy, or two versions installed side by side.
  let copy: typeof sdk;
  beforeAll(() => {
    jest.isolateModules(() => {
      copy = jest.requireActual<typeof sdk>('@autofacilitate/sdk');
    });
  });

  test('the copy really is another copy', () => {
    expect(copy.AutoFacilitateError).not.toBe(sdk.AutoFacilitateError);
  });

  test.each([
    'AuthError',
    'NotFoundError',
    'ValidationError',
    'RateLimitError',
    'ServerError',
    'ConnectionError',
  ] as const)('%s from one copy is an instance of the other copy’s classes', (name) => {
    const error = new copy[name]('from the other copy', { status: 500 });
    expect(error).toBeInstanceOf(sdk[name]);
    expect(error).toBeInstanceOf(sdk.AutoFacilitateError);
    expect(error).toBeInstanceOf(Error);
    expect(new sdk[name]('here')).toBeInstanceOf(copy[name]);
  });

  test('and still not an instance of a sibling class', () => {
    expect(new copy.NotFoundError('x')).not.toBeInstanceOf(sdk.AuthError);
    expect(new copy.TimeoutError('x', { timeoutMs: 1 })).not.toBeInstanceOf(sdk.ServerError);
    expect({ name: 'AuthError' }).not.toBeInstanceOf(sdk.AuthError);
    expect(null).not.toBeInstanceOf(sdk.AutoFacilitateError);
  });

  test('a subclass of your own is an instance of its parents', () => {
    class MyError extends copy.ServerError {}
    const error = new MyError('mine');
    expect(error).toBeInstanceOf(sdk.ServerError);
    expect(error).toBeInstanceOf(MyError);
    expect(new copy.ServerError('not mine')).not.toBeInstanceOf(MyError);
  });
});

test('toJSON gives the fields for structured logs', () => {
  const error = new AuthError('refused', {
    status: 401,
    code: '401',
    oauthError: 'invalid_client',
    requestId: 'r1',
    operation: 'getAccessToken',
  });
  expect(JSON.parse(JSON.stringify(error))).toEqual({
    name: 'AuthError',
    message: 'refused',
    status: 401,
    code: 401,
    errors: [],
    requestId: 'r1',
    operation: 'getAccessToken',
    oauthError: 'invalid_client',
  });
  expect(String(error)).toBe('AuthError: refused');
});
