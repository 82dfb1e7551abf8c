import { ConnectionError, RateLimitError, ServerError, ValidationError } from '@autofacilitate/sdk';
import { empty, errorResponse, json, networkError } from './support/fake-api';
import { makeClient, rejection } from './support/make-client';

// makeClient fixes jitter at 0.5, so full-jitter waits are half their ceiling: 100, 200, 400 ms.
const BACKOFF = [100, 200, 400];

/** The waits that were not deadline timers (the client's default deadline is 30 s). */
const sleeps = (waits: number[]) => waits.filter((ms) => ms !== 30_000);

describe('getResult (a GET) is retried', () => {
  test.each([500, 502, 503, 504, 429])('on %i, with full-jitter exponential backoff', async (status) => {
    const { api, clock, client } = makeClient();
    api.script('result', errorResponse(status), errorResponse(status), errorResponse(status));

    const outcome = await clock.run(client.getResult('ServerName', '1234'));

    expect(outcome.status).toBe('succeeded');
    expect(api.seen('result')).toHaveLength(4);
    expect(sleeps(clock.waits)).toEqual(BACKOFF);
  });

  test.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT'])('on a network failure (%s)', async (code) => {
    const { api, clock, client } = makeClient();
    api.script('result', networkError(code));
    await clock.run(client.getResult('ServerName', '1234'));
    expect(api.seen('result')).toHaveLength(2);
  });

  test('jitter spreads the waits over [0, ceiling)', async () => {
    const draws = [0, 0.999, 0.25];
    const { api, clock, client } = makeClient({ random: () => draws.shift() ?? 0 });
    api.script('result', errorResponse(500), errorResponse(500), errorResponse(500));
    await clock.run(client.getResult('ServerName', '1'));
    expect(sleeps(clock.waits)).toEqual([0, 399, 200]);
  });

  test('backoff is capped by maxDelayMs', async () => {
    const { api, clock, client } = makeClient({ retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 1500 } });
    api.script('result', errorResponse(500), errorResponse(500), errorResponse(500));
    await clock.run(client.getResult('ServerName', '1'));
    expect(sleeps(clock.waits)).toEqual([500, 750, 750]);
  });

  test('Retry-After in seconds is honoured instead of the backoff', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', errorResponse(429, { 'Retry-After': '7' }), errorResponse(503, { 'Retry-After': '2' }));
    await clock.run(client.getResult('ServerName', '1'));
    expect(sleeps(clock.waits)).toEqual([7000, 2000]);
  });

  test('Retry-After as an HTTP date is honoured', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', () => errorResponse(503, { 'Retry-After': new Date(clock.now() + 4000).toUTCString() }));
    await clock.run(client.getResult('ServerName', '1'));
    expect(sleeps(clock.waits)).toEqual([4000]);
  });

  test('after maxRetries the last failure is thrown, with its details', async () => {
    const { api, clock, client } = makeClient({ retry: { maxRetries: 2 } });
    api.script('result', errorResponse(500), errorResponse(502), errorResponse(503, { 'x-request-id': 'req-42' }));
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 503,
      code: 503,
      requestId: 'req-42',
      message: 'detail 503',
      responseMessage: 'failure 503',
    });
    expect(api.seen('result')).toHaveLength(3);
  });

  test('a 429 that outlasts the retries is a RateLimitError with retryAfterMs', async () => {
    const { api, clock, client } = makeClient({ retry: false });
    api.script('result', errorResponse(429, { 'Retry-After': '30' }));
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 30_000 });
  });

  test.each([400, 403, 404, 422])('is not retried on %i', async (status) => {
    const { api, clock, client } = makeClient();
    api.script('result', errorResponse(status));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toMatchObject({ status });
    expect(api.seen('result')).toHaveLength(1);
  });

  test('retry: false turns retries off', async () => {
    const { api, clock, client } = makeClient({ retry: false });
    api.script('result', errorResponse(503));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toBeInstanceOf(ServerError);
    expect(api.seen('result')).toHaveLength(1);
  });
});

describe('execute (a POST) never triggers twice', () => {
  test.each([500, 502, 503, 504, 429])('without an idempotency key, %i is not retried', async (status) => {
    const { api, clock, client } = makeClient();
    api.script('execute', errorResponse(status, { 'Retry-After': '1' }));
    await expect(clock.run(client.execute('ServerName'))).rejects.toMatchObject({ status });
    expect(api.seen('execute')).toHaveLength(1);
  });

  test.each(['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET'])(
    'without a key, a failure after connecting (%s) is not retried: the request may have arrived',
    async (code) => {
      const { api, clock, client } = makeClient();
      api.script('execute', networkError(code));
      const error = await clock.run(rejection(client.execute('ServerName')));
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toContain(code);
      expect(api.seen('execute')).toHaveLength(1);
    },
  );

  test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])(
    'without a key, a request that never left (%s) is retried',
    async (code) => {
      const { api, clock, client } = makeClient();
      api.script('execute', networkError(code), networkError(code));
      await clock.run(client.execute('ServerName'));
      expect(api.seen('execute')).toHaveLength(3);
    },
  );

  test('a connection refused on every address (AggregateError) never left either', async () => {
    const { api, clock, client } = makeClient();
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    api.script(
      'execute',
      new TypeError('fetch failed', { cause: new AggregateError([refused('::1:443'), refused('127.0.0.1:443')]) }),
    );
    await clock.run(client.execute('ServerName'));
    expect(api.seen('execute')).toHaveLength(2);
  });

  test('a fetch that says nothing about why it failed (a browser) is not retried', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', new TypeError('Failed to fetch'));
    await expect(clock.run(client.execute('ServerName'))).rejects.toBeInstanceOf(ConnectionError);
    expect(api.seen('execute')).toHaveLength(1);
  });

  test('with an idempotency key, 5xx, 429 and network failures are retried, sending the same key', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', errorResponse(503), errorResponse(429, { 'Retry-After': '3' }), networkError('ECONNRESET'));

    const result = await clock.run(client.execute('ServerName', { key: 'value' }, { idempotencyKey: 'order-7' }));

    expect(result.triggerUUID).toBe('1234');
    expect(api.seen('execute')).toHaveLength(4);
    expect(api.seen('execute').map((request) => request.headers.get('idempotency-key'))).toEqual([
      'order-7',
      'order-7',
      'order-7',
      'order-7',
    ]);
    expect(sleeps(clock.waits)).toEqual([100, 3000, 400]);
  });

  test('with an idempotency key, 4xx is still final', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', errorResponse(422));
    await expect(clock.run(client.execute('ServerName', {}, { idempotencyKey: 'k' }))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(api.seen('execute')).toHaveLength(1);
  });

  test('without a key, no Idempotency-Key header is sent', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName'));
    expect(api.seen('execute')[0]?.headers.has('idempotency-key')).toBe(false);
  });

  test('a failure to get a token is before the request: the token request is retried, execute sent once', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', errorResponse(500), networkError('ECONNRESET'));
    await clock.run(client.execute('ServerName'));
    expect(api.seen('token')).toHaveLength(3);
    expect(api.seen('execute')).toHaveLength(1);
  });
});

describe('bodies of retried answers', () => {
  test('an answer that is not retried keeps its body for the error', async () => {
    const { api, clock, client } = makeClient();
    api.script(
      'execute',
      json(400, { code: 400, message: 'bad', errors: [{ scope: 'body', reason: 'Invalid', message: 'no', extra: 1 }] }),
    );
    await expect(clock.run(client.execute('ServerName'))).rejects.toMatchObject({
      code: 400,
      message: 'no',
      responseMessage: 'bad',
      errors: [{ scope: 'body', reason: 'Invalid', message: 'no' }],
    });
  });

  test('a 401 with no body then a success', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', empty(401));
    await expect(clock.run(client.getResult('ServerName', '1'))).resolves.toMatchObject({ status: 'succeeded' });
  });
});
