// The server's callbacks as the SDK reads them: what the server sends, the SDK's verifyCallback
// accepts (with either secret while one is rotated), and its data is the trigger as getResult
// answers it. Real HTTP on 127.0.0.1: the receiver is the test's own server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoFacilitate, CallbackVerificationError, createTestCallback, verifyCallback } from '@autofacilitate/sdk';
import { createServer, newCallbackSecret, resolveConfig, type AutoFacilitateServer } from '@autofacilitate/server';
import { useTestStorage } from '../../server/test/support/test-storage';

const clientSecret = randomBytes(16).toString('base64url');
const apiKey = randomBytes(16).toString('base64url');
// acme is rotating its callback secret: both sign until receivers have moved to the new one.
const oldSecret = newCallbackSecret();
const newSecret = newCallbackSecret();

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let dir: string;
let server: AutoFacilitateServer;
let client: AutoFacilitate;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const waiters = new Set<() => void>();

function nextCallback(count: number): Promise<Received> {
  return new Promise((resolve) => {
    const check = () => {
      if (received.length < count) return;
      waiters.delete(check);
      resolve(received[count - 1]!);
    };
    waiters.add(check);
    check();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-callbacks-sdk-'));
  receiver = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
      for (const waiter of [...waiters]) waiter();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const settings = {
    server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 0 },
    storage: { sqlite: { file: 'store.sqlite' } },
    workers: { pollIntervalMs: 50 },
    callbacks: { allow: ['127.0.0.1/32'], pollIntervalMs: 50, retrySchedule: ['10ms'] },
    organisations: {
      acme: {
        clients: { 'sdk-client': {} },
        apiKeys: { sdk: {} },
        services: { echo: { kind: 'echo' }, broken: { kind: 'fail', message: 'upstream answered 503' } },
      },
    },
  };
  await useTestStorage(settings, dir);
  const config = await resolveConfig(settings, {
    origin: 'callbacks SDK configuration',
    baseDir: dir,
    env: {
      AUTOFACILITATE_CLIENT_SECRET_SDK_CLIENT: clientSecret,
      AUTOFACILITATE_API_KEY_ACME_SDK: apiKey,
      AUTOFACILITATE_CALLBACK_SECRET_ACME: `${oldSecret} ${newSecret}`,
    },
  });
  server = await createServer(config);
  client = new AutoFacilitate({
    orgId: 'acme',
    baseUrl: await server.listen(),
    clientId: 'sdk-client',
    clientSecret,
    apiKey,
  });
});

afterAll(async () => {
  await server?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await rm(dir, { recursive: true, force: true });
});

test('verifyCallback accepts what the server sends, with the old secret, the new one or both, and reads the trigger as getResult does', async () => {
  const { triggerUUID } = await client.execute(
    'echo',
    { greeting: 'hello' },
    { callbackUrls: [`${receiverUrl}/callbacks`] },
  );
  const callback = await nextCallback(1);

  for (const secrets of [oldSecret, newSecret, [oldSecret, newSecret]]) {
    const verified = await verifyCallback(callback.body, callback.headers, secrets);
    expect(verified).toMatchObject({
      id: callback.headers['webhook-id'],
      type: 'trigger.finished',
      trigger: { triggerUUID, vsn: 'echo', status: 'succeeded' },
    });
  }
  const verified = await verifyCallback(callback.body, callback.headers, oldSecret);
  const outcome = await client.getResult('echo', triggerUUID);
  expect(verified.trigger).toEqual(outcome);
  // The envelope's timestamp is when the trigger finished.
  expect(verified.timestamp).toEqual((outcome as { finishedAt?: Date }).finishedAt);
});

test('a secret the organisation does not have, or a body changed on the way, is refused', async () => {
  await client.execute('broken', {}, { callbackUrls: [`${receiverUrl}/callbacks`] });
  const callback = await nextCallback(2);
  const verified = await verifyCallback(callback.body, callback.headers, newSecret);
  expect(verified.trigger).toMatchObject({
    status: 'failed',
    error: { reason: 'Service failed', message: 'upstream answered 503' },
  });

  await expect(verifyCallback(callback.body, callback.headers, newCallbackSecret())).rejects.toMatchObject({
    reason: 'no_matching_signature',
  });
  const changed = Buffer.from(callback.body.toString().replace('failed', 'succeeded'));
  await expect(verifyCallback(changed, callback.headers, newSecret)).rejects.toBeInstanceOf(CallbackVerificationError);
});

test("the SDK's test callbacks look like the server's", async () => {
  const callback = await nextCallback(1);
  const made = await createTestCallback(callback.body.toString(), oldSecret, {
    id: callback.headers['webhook-id'] as string,
  });
  expect(Object.keys(made.headers).sort()).toEqual([
    'content-type',
    'webhook-id',
    'webhook-signature',
    'webhook-timestamp',
  ]);
  expect(made.headers['content-type']).toBe(callback.headers['content-type']);
  expect((await verifyCallback(made.body, made.headers, [oldSecret])).trigger).toEqual(
    (await verifyCallback(callback.body, callback.headers, [oldSecret])).trigger,
  );
});

test('an execute retried with its Idempotency-Key starts the service once', async () => {
  const first = await client.execute('echo', { order: '7' }, { idempotencyKey: 'order-7-start' });
  const again = await client.execute('echo', { order: '7' }, { idempotencyKey: 'order-7-start' });
  expect(again.triggerUUID).toBe(first.triggerUUID);
});
