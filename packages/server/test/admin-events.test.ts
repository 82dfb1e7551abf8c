import { execute, type Caller } from './support/api-client';
import { admin, openEventStream } from './support/admin-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { deliveriesSettled } from './support/server-events';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let receiver: CallbackReceiver;
let acme: Caller;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer((raw) => {
    raw.callbacks.allow = ['127.0.0.1/32'];
  });
  acme = await server.acme();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

test('a callback answered 500 is sent again once its receiver is fixed: a new attempt, the same webhook-id', async () => {
  receiver.answer = () => ({ status: 500 });
  const started = await execute(server.url, 'acme', 'echo', acme, { callbackUrls: [`${receiver.url}/resend`] });
  const triggerUUID = started.json.triggerUUID as string;
  const [failed] = await deliveriesSettled(server.server, triggerUUID);
  expect(failed).toMatchObject({ status: 'failed', attempts: 4 });

  receiver.answer = () => ({ status: 204 });
  const resent = await admin(
    server.url,
    'acme',
    `/triggers/${triggerUUID}/deliveries/${failed!.deliveryId}/resend`,
    secrets.acmeAdmin,
    { method: 'POST' },
  );
  expect(resent.status).toBe(202);
  expect(resent.json).toMatchObject({
    deliveryId: failed!.deliveryId,
    webhookId: failed!.webhookId,
    status: 'pending',
  });
  expect(resent.json.attempts).toHaveLength(4);

  const [received] = await Promise.all([receiver.waitFor(5, '/resend'), deliveriesSettled(server.server, triggerUUID)]);
  expect(new Set(received.map((callback) => callback.headers['webhook-id']))).toEqual(new Set([failed!.webhookId]));
  const detail = await admin(server.url, 'acme', `/triggers/${triggerUUID}`, secrets.acmeAdmin);
  const [delivery] = detail.json.deliveries;
  expect(delivery.status).toBe('delivered');
  expect(
    delivery.attempts.map((attempt: { attempt: number; statusCode: number }) => [attempt.attempt, attempt.statusCode]),
  ).toEqual([
    [1, 500],
    [2, 500],
    [3, 500],
    [4, 500],
    [5, 204],
  ]);
});

test('the event stream carries an execute from queued to finished, and each callback attempt', async () => {
  const stream = await openEventStream(server.url, 'acme', secrets.acmeAdmin);
  const other = await openEventStream(server.url, 'globex', secrets.globexAdmin);
  try {
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    receiver.answer = () => ({ status: 204 });
    const started = await execute(server.url, 'acme', 'echo', acme, {
      triggerParameters: { live: 'yes' },
      callbackUrls: [`${receiver.url}/live`],
    });
    const triggerUUID = started.json.triggerUUID as string;
    const states = ['queued', 'running', 'succeeded'];
    const seen = await Promise.all(
      states.map((status) =>
        stream.next(
          ({ event, data }) => event === 'trigger' && data.triggerUUID === triggerUUID && data.status === status,
        ),
      ),
    );
    expect(seen.map(({ data }) => data)).toEqual(
      states.map((status) => ({ orgId: 'acme', triggerUUID, vsn: 'echo', status, at: expect.any(String) })),
    );
    expect(seen.map(({ id }) => Number(id))).toEqual([...seen.map(({ id }) => Number(id))].sort((a, b) => a - b));
    const delivered = await stream.next(({ event, data }) => event === 'delivery' && data.triggerUUID === triggerUUID);
    expect(delivered.data).toMatchObject({
      orgId: 'acme',
      status: 'delivered',
      attempt: { attempt: 1, statusCode: 204 },
    });

    // globex's admin saw nothing of acme's: an event of its own comes first.
    const globex = await execute(server.url, 'globex', 'echo', await server.globex(), {});
    const first = await other.next(() => true);
    expect(first.data).toMatchObject({ orgId: 'globex', triggerUUID: globex.json.triggerUUID, status: 'queued' });
  } finally {
    stream.close();
    other.close();
  }
});
