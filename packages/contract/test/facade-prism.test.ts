// The facade (@autofacilitate/sdk) against Prism with validation both ways: a proxy with
// `--errors` in front of the mock checks every request the facade sends, JSON bodies and headers
// included, and every response it reads. A guard on the facade's fetch records each answer that
// reports a violation; any such answer fails the test that caused it.
import {
  AuthError,
  AutoFacilitate,
  NotFoundError,
  ServerError,
  ValidationError,
  type AutoFacilitateOptions,
} from '@autofacilitate/sdk';
import { startValidatingPrism, type RunningPrism } from '../src/prism';

let proxy: RunningPrism;

beforeAll(async () => {
  proxy = await startValidatingPrism();
});

afterAll(async () => {
  await proxy?.stop();
});

/** Every request the facade sent, and every answer that reported a violation of the spec. */
const sent: string[] = [];
const violations: string[] = [];

const guardedFetch: typeof fetch = async (input, init) => {
  const request = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
  sent.push(request);
  const response = await fetch(input, init);
  const reported = response.headers.get('sl-violations');
  const problem = (response.headers.get('content-type') ?? '').includes('application/problem+json');
  if (reported || problem)
    violations.push(`${request} → ${response.status} ${reported ?? (await response.clone().text())}`);
  return response;
};

beforeEach(() => {
  sent.length = 0;
  violations.length = 0;
});

afterEach(() => {
  // A request or response the spec forbids fails the test that made it.
  expect(violations).toEqual([]);
});

function facade(options: Partial<AutoFacilitateOptions> = {}): AutoFacilitate {
  return new AutoFacilitate({
    orgId: 'acme',
    baseUrl: proxy.url,
    clientId: 'contract-client',
    clientSecret: 'contract-secret',
    apiKey: 'contract-test-key',
    fetch: guardedFetch,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

const prefer = (status: number) => ({ headers: { Prefer: `code=${status}` } });
const TOKEN = 'POST /tokenservice/oauth2/access_token';
const EXECUTE = 'POST /via/v2/organizations/acme/autoFacilitate/execute/ServerName';
const RESULT = 'GET /via/v2/organizations/acme/autoFacilitate/result/ServerName/triggerUUID/1234';

describe('getAccessToken', () => {
  test('fetches a client-credentials token', async () => {
    const token = await facade().getAccessToken();
    expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'autofacilitateapi', accessToken: expect.any(String) });
    expect(token.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(sent).toEqual([TOKEN]);
  });

  test.each([
    [400, 'invalid_scope'],
    [401, 'invalid_client'],
  ])('a %i from the token service is an AuthError carrying %s', async (status, oauthError) => {
    const error = await facade()
      .getAccessToken(prefer(status))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status, oauthError, operation: 'getAccessToken' });
  });
});

describe('execute', () => {
  test('sends the JSON body and answers the trigger, after fetching a token', async () => {
    const result = await facade().execute(
      'ServerName',
      { key: 'value' },
      { callbackUrls: ['https://mycompany.com/callbacks/id=123'] },
    );
    expect(result).toEqual({ message: 'Successfully triggered ServerName@orgId', triggerUUID: '1234' });
    expect(sent).toEqual([TOKEN, EXECUTE]);
  });

  test('with an idempotency key and no parameters', async () => {
    await expect(facade().execute('ServerName', {}, { idempotencyKey: 'contract-key-1' })).resolves.toMatchObject({
      triggerUUID: '1234',
    });
  });

  test('the token is reused across calls', async () => {
    const client = facade();
    await client.execute('ServerName', { a: '1' });
    await client.execute('ServerName', { b: '2' });
    expect(sent).toEqual([TOKEN, EXECUTE, EXECUTE]);
  });

  test.each([
    [400, 'ValidationError', ValidationError],
    [404, 'NotFoundError', NotFoundError],
    [413, 'ValidationError', ValidationError],
    [415, 'ValidationError', ValidationError],
    [422, 'ValidationError', ValidationError],
    [500, 'ServerError', ServerError],
  ])('%i is a %s with the ErrorResponse read, and is not retried', async (status, _, ErrorClass) => {
    const error = await facade()
      .execute('ServerName', { key: 'value' }, prefer(status))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({
      status,
      code: status,
      operation: 'executeService',
      errors: [expect.objectContaining({ scope: expect.any(String) })],
    });
    expect(sent).toEqual([TOKEN, EXECUTE]);
  });

  test('401: one new token, one retry, then an AuthError with the challenge', async () => {
    const error = await facade()
      .execute('ServerName', { key: 'value' }, prefer(401))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, wwwAuthenticate: expect.stringContaining('Bearer') });
    expect(sent).toEqual([TOKEN, EXECUTE, TOKEN, EXECUTE]);
  });
});

describe('getResult', () => {
  test('200: the finished trigger with its output', async () => {
    await expect(facade().getResult('ServerName', '1234', prefer(200))).resolves.toEqual({
      status: 'succeeded',
      done: true,
      triggerUUID: '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d',
      vsn: 'ServerName',
      output: { key: 'value' },
      createdAt: new Date('2026-01-01T12:00:00.000Z'),
      startedAt: new Date('2026-01-01T12:00:00.010Z'),
      finishedAt: new Date('2026-01-01T12:00:00.020Z'),
    });
  });

  test('202: still running, with Retry-After', async () => {
    await expect(facade().getResult('ServerName', 1234, prefer(202))).resolves.toMatchObject({
      status: 'running',
      done: false,
      retryAfterMs: 1000,
    });
    expect(sent).toEqual([TOKEN, RESULT]);
  });

  test('204: finished, nothing more to say (Alvaria’s API reference)', async () => {
    await expect(facade().getResult('ServerName', '1234', prefer(204))).resolves.toEqual({
      status: 'succeeded',
      done: true,
      triggerUUID: '1234',
      vsn: 'ServerName',
    });
  });

  test.each([
    [400, 'ValidationError', ValidationError],
    [404, 'NotFoundError', NotFoundError],
    [422, 'ValidationError', ValidationError],
  ])('%i is a %s, not retried', async (status, _, ErrorClass) => {
    const error = await facade()
      .getResult('ServerName', '1234', prefer(status))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code: status });
    expect(sent).toEqual([TOKEN, RESULT]);
  });

  test('500 is retried, then a ServerError', async () => {
    const error = await facade({ retry: { maxRetries: 2, baseDelayMs: 1 } })
      .getResult('ServerName', '1234', prefer(500))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(sent).toEqual([TOKEN, RESULT, RESULT, RESULT]);
  });

  test('401: one new token, one retry, then an AuthError', async () => {
    await expect(facade().getResult('ServerName', '1234', prefer(401))).rejects.toBeInstanceOf(AuthError);
    expect(sent).toEqual([TOKEN, RESULT, TOKEN, RESULT]);
  });
});

describe('executeAndWait', () => {
  test('executes, then polls until the trigger has finished', async () => {
    const progress: string[] = [];
    const outcome = await facade().executeAndWait(
      'ServerName',
      { key: 'value' },
      { onProgress: (p) => progress.push(p.status) },
    );
    expect(outcome).toMatchObject({ status: 'succeeded', output: { key: 'value' } });
    // The mock answers 200 at once: one poll, no progress to report.
    expect(sent).toEqual([TOKEN, EXECUTE, RESULT]);
    expect(progress).toEqual([]);
  });

  test('a refusal fails at once instead of being waited out', async () => {
    await expect(
      facade().executeAndWait('ServerName', {}, { ...prefer(404), maxWaitMs: 60_000 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(sent).toEqual([TOKEN, EXECUTE]);
  });
});

test('a request the spec forbids is caught by the guard', async () => {
  // Parameter values must be strings. The facade refuses a number before sending, so corrupt
  // the body on the way out to prove the guard reports what Prism finds.
  const corrupting: typeof fetch = (input, init) =>
    guardedFetch(input, typeof init?.body === 'string' ? { ...init, body: init.body.replace('"value"', '5') } : init);
  const error = await facade({ fetch: corrupting })
    .execute('ServerName', { key: 'value' })
    .catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ status: 422 });
  expect(violations).toEqual([
    expect.stringMatching(
      /^POST \/via\/v2\/organizations\/acme\/autoFacilitate\/execute\/ServerName → 422 .*triggerParameters.*key/,
    ),
  ]);
  violations.length = 0;
});
