import { AuthError, AutoFacilitate, NotFoundError, ValidationError } from '@autofacilitate/sdk';
import { startAcmeServer, type AcmeServer } from './support/acme-server';

// The facade SDK end to end against the real server: tokens, execute (JSON and XML), waiting
// for results, and the errors a caller meets.
let acme: AcmeServer;
let client: AutoFacilitate;
let baseUrl: string;
let clientSecret: string;
let apiKey: string;

beforeAll(async () => {
  acme = await startAcmeServer({
    name: 'sdk-server',
    clientId: 'sdk-client',
    apiKeyName: 'sdk',
    services: {
      echo: { kind: 'echo' },
      nap: { kind: 'sleep', ms: 300 },
      broken: { kind: 'fail', message: 'upstream answered 503' },
      'needs-customer': { kind: 'echo', requiredParameters: ['customerId'] },
    },
  });
  ({ baseUrl, clientSecret, apiKey } = acme);
  client = new AutoFacilitate({ orgId: 'acme', baseUrl, clientId: 'sdk-client', clientSecret, apiKey });
});

afterAll(() => acme?.close());

test('execute, then wait for the result: the output of echo', async () => {
  const started = await client.execute('echo', { greeting: 'hello' });
  expect(started.triggerUUID).toMatch(/^[0-9a-f-]{36}$/);
  const finished = await client.executeAndWait('echo', { greeting: 'hello' }, { pollIntervalMs: 20 });
  expect(finished).toMatchObject({ status: 'succeeded', done: true, vsn: 'echo', output: { greeting: 'hello' } });
  expect(finished.finishedAt).toBeInstanceOf(Date);
});

test('execute as XML', async () => {
  const finished = await client.executeAndWait(
    'echo',
    { customerId: '007' },
    { format: 'xml', callbackUrls: ['https://a.example/cb'], pollIntervalMs: 20 },
  );
  expect(finished).toMatchObject({ status: 'succeeded', output: { customerId: '007' } });
});

test("a running trigger is pending, with the server's Retry-After; then it finishes with no output (204)", async () => {
  const { triggerUUID } = await client.execute('nap');
  let pending = await client.getResult('nap', triggerUUID);
  for (let attempt = 0; pending.status === 'queued' && attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    pending = await client.getResult('nap', triggerUUID);
  }
  expect(pending).toMatchObject({ status: 'running', done: false, retryAfterMs: 1000 });
  const progress: string[] = [];
  const finished = await client.executeAndWait('nap', {}, { onProgress: (update) => progress.push(update.status) });
  expect(finished).toMatchObject({ status: 'succeeded', done: true, vsn: 'nap' });
  expect(finished).not.toHaveProperty('output');
  expect(progress.length).toBeGreaterThan(0);
});

test('a trigger that failed is an outcome, with its error', async () => {
  const finished = await client.executeAndWait('broken', {}, { pollIntervalMs: 20 });
  expect(finished).toMatchObject({
    status: 'failed',
    error: { scope: 'service', reason: 'Service failed', message: 'upstream answered 503' },
  });
});

test('the refusals a caller meets are typed errors', async () => {
  await expect(client.execute('no-such-service')).rejects.toBeInstanceOf(NotFoundError);
  await expect(client.execute('needs-customer', { name: 'x' })).rejects.toBeInstanceOf(ValidationError);
  await expect(client.getResult('echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d')).rejects.toBeInstanceOf(NotFoundError);
  const stranger = new AutoFacilitate({
    orgId: 'acme',
    baseUrl,
    clientId: 'sdk-client',
    clientSecret: 'wrong',
    apiKey,
    retry: false,
  });
  await expect(stranger.execute('echo')).rejects.toBeInstanceOf(AuthError);
});

test("errors carry the server's detail, and name the credential that was refused", async () => {
  await expect(client.execute('nope')).rejects.toMatchObject({
    message: 'Service nope not found in organisation acme',
    responseMessage: 'Not found',
  });
  let tokenRequests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input).endsWith('/tokenservice/oauth2/access_token')) tokenRequests++;
    return fetch(input, init);
  };
  const wrongKey = new AutoFacilitate({
    orgId: 'acme',
    baseUrl,
    clientId: 'sdk-client',
    clientSecret,
    apiKey: 'not-a-key',
    fetch: countingFetch,
  });
  await expect(wrongKey.execute('echo')).rejects.toMatchObject({
    name: 'AuthError',
    credential: 'apiKey',
    message: 'The API key (x-api-key) was refused: The x-api-key header is missing or unknown',
  });
  expect(tokenRequests).toBe(1);
  const wrongSecret = new AutoFacilitate({
    orgId: 'acme',
    baseUrl,
    clientId: 'sdk-client',
    clientSecret: 'wrong',
    apiKey,
    retry: false,
  });
  await expect(wrongSecret.execute('echo')).rejects.toMatchObject({
    credential: 'client',
    oauthError: 'invalid_client',
  });
});

test('an idempotent replay is said', async () => {
  const first = await client.execute('echo', { order: '7' }, { idempotencyKey: 'sdk-server-order-7' });
  const again = await client.execute('echo', { order: '7' }, { idempotencyKey: 'sdk-server-order-7' });
  expect(first.replayed).toBeUndefined();
  expect(again).toEqual({ ...first, replayed: true });
});
