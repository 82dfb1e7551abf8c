import { createHmac } from 'node:crypto';
import type { DeliveryHistory } from '../src';
import { execute, finalResult, type Caller } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { secrets, type RawConfig } from './support/test-config';
import { deliveriesSettled, triggerRunning } from './support/server-events';
import { startTestServer, type TestServer } from './support/test-server';
import { VirtualClock } from './support/virtual-clock';

let receiver: CallbackReceiver;
const servers: TestServer[] = [];

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await receiver.close();
});

/**
 * A server that may call back 127.0.0.1, where the receiver is, on virtual time from now: each
 * retry the deliverer sets comes at once, time moving to it.
 */
async function start(adjust: (raw: RawConfig) => void = () => undefined) {
  const clock = new VirtualClock(Date.now());
  const server = await startTestServer(
    (raw) => {
      raw.callbacks.allow = ['127.0.0.1/32'];
      adjust(raw);
    },
    { clock },
  );
  servers.push(server);
  server.server.deliverer.on('attempted', (_claimed, attempt, status) => {
    if (status === 'pending') void clock.advance(attempt.retryAt! - clock.now());
  });
  return { server, clock, acme: await server.acme() };
}

/** The deliveries of a trigger once none is pending any more. */
function settled(server: TestServer, triggerUUID: string): Promise<DeliveryHistory[]> {
  return deliveriesSettled(server.server, triggerUUID);
}

async function trigger(
  server: TestServer,
  acme: Caller,
  callbackUrls: string[],
  vsn = 'echo',
  triggerParameters = { key: 'value' },
): Promise<string> {
  const answer = await execute(server.url, 'acme', vsn, acme, { triggerParameters, callbackUrls });
  expect(answer.status).toBe(200);
  return answer.json.triggerUUID as string;
}

function expectedSignature(
  webhookId: string,
  timestamp: string,
  body: string,
  secret: string = secrets.acmeCallback,
): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
}

test('a finished trigger is POSTed to its callback URL: the outcome, as getTriggerResult answers it, signed', async () => {
  const { server, acme } = await start();
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/callbacks/id=123?source=test`]);
  const [callback] = await receiver.waitFor(1);
  const result = await finalResult(server, 'acme', 'echo', triggerUUID, acme);

  expect(callback!.path).toBe('/callbacks/id=123?source=test');
  expect(callback!.headers['content-type']).toBe('application/json');
  expect(JSON.parse(callback!.body)).toEqual({
    type: 'trigger.finished',
    timestamp: result.json.finishedAt,
    data: result.json,
  });
  expect(result.json).toMatchObject({ triggerUUID, vsn: 'echo', status: 'succeeded', output: { key: 'value' } });
  const {
    'webhook-id': webhookId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
  } = callback!.headers as Record<string, string>;
  expect(webhookId).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
  expect(signature).toBe(expectedSignature(webhookId!, timestamp!, callback!.body));

  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({
    webhookId,
    status: 'delivered',
    attempts: 1,
    history: [{ attempt: 1, statusCode: 204 }],
  });
  expect(delivery!.history[0]).not.toHaveProperty('error');
});

test('every callback URL gets the callback, under one webhook-id; a failed and a timed-out trigger are called back too', async () => {
  const { server, clock, acme } = await start();
  const urls = [`${receiver.url}/first`, `${receiver.url}/second`];
  const triggerUUID = await trigger(server, acme, urls);
  const failed = await trigger(server, acme, [`${receiver.url}/failed`], 'broken');
  const timedOut = await trigger(server, acme, [`${receiver.url}/timed-out`], 'slowpoke');
  await triggerRunning(server.server, 'acme', timedOut);
  await clock.advance(50);
  const [first] = await receiver.waitFor(1, '/first');
  const [second] = await receiver.waitFor(1, '/second');
  expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
  expect(first!.body).toBe(second!.body);
  expect((await settled(server, triggerUUID)).map(({ url, status }) => ({ url, status }))).toEqual(
    urls.map((url) => ({ url, status: 'delivered' })),
  );

  const [failure] = await receiver.waitFor(1, '/failed');
  expect(JSON.parse(failure!.body).data).toMatchObject({
    triggerUUID: failed,
    status: 'failed',
    error: { scope: 'service', reason: 'Service failed', message: 'upstream answered 503' },
  });
  const [timeout] = await receiver.waitFor(1, '/timed-out');
  expect(JSON.parse(timeout!.body).data).toMatchObject({
    triggerUUID: timedOut,
    status: 'timed_out',
    error: { reason: 'Timed out' },
  });
});

test('a receiver that fails with 500 is tried again, with the same webhook-id and body, until it answers 2xx', async () => {
  const { server, acme } = await start();
  receiver.answer = (_callback, index) => ({ status: index < 2 ? 500 : 200 });
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/flaky`]);
  const callbacks = await receiver.waitFor(3);
  expect(new Set(callbacks.map((callback) => callback.headers['webhook-id'])).size).toBe(1);
  expect(new Set(callbacks.map((callback) => callback.body)).size).toBe(1);
  for (const callback of callbacks) {
    const headers = callback.headers as Record<string, string>;
    expect(headers['webhook-signature']).toBe(
      expectedSignature(headers['webhook-id']!, headers['webhook-timestamp']!, callback.body),
    );
  }

  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
  expect(delivery!.history.map(({ attempt, statusCode, error }) => ({ attempt, statusCode, error }))).toEqual([
    { attempt: 1, statusCode: 500, error: 'answered 500' },
    { attempt: 2, statusCode: 500, error: 'answered 500' },
    { attempt: 3, statusCode: 200, error: undefined },
  ]);
  // Each failure scheduled the next attempt per the schedule (10 ms, then 20 ms, ± 20 %), which came no sooner.
  const [one, two, three] = delivery!.history;
  expect(one!.retryAt! - (one!.startedAt + one!.durationMs)).toBeGreaterThanOrEqual(8);
  expect(two!.retryAt! - (two!.startedAt + two!.durationMs)).toBeGreaterThanOrEqual(16);
  expect(two!.startedAt).toBeGreaterThanOrEqual(one!.retryAt!);
  expect(three!.startedAt).toBeGreaterThanOrEqual(two!.retryAt!);
  expect(three).not.toHaveProperty('retryAt');
});

test('a receiver that keeps failing is given up after the last attempt of the schedule', async () => {
  const { server, acme } = await start();
  receiver.answer = () => ({ status: 503 });
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/down`]);
  const [delivery] = await settled(server, triggerUUID);
  // One attempt, then one after each of the three waits of the test schedule.
  expect(delivery).toMatchObject({ status: 'failed', attempts: 4 });
  expect(delivery!.history.map(({ statusCode }) => statusCode)).toEqual([503, 503, 503, 503]);
  expect(delivery!.history.at(-1)).not.toHaveProperty('retryAt');
  expect(receiver.received).toHaveLength(4);
});

test('a receiver that cannot be reached fails each attempt as a network error, until the schedule is over', async () => {
  const { server, acme } = await start();
  // A port nothing listens on any more.
  const closed = await startReceiver();
  await closed.close();
  const triggerUUID = await trigger(server, acme, [`${closed.url}/cb`]);
  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({ status: 'failed', attempts: 4 });
  expect(delivery!.history.map(({ error }) => error)).toEqual(Array(4).fill('ECONNREFUSED'));
});

test('a receiver that hangs is cut off at the timeout and tried again', async () => {
  const { server, clock, acme } = await start((raw) => {
    raw.callbacks.timeoutMs = 500;
  });
  receiver.answer = (_callback, index) => (index === 0 ? 'hang' : { status: 202 });
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/slow`]);
  await receiver.waitFor(1);
  await clock.advance(500);
  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({ status: 'delivered' });
  expect(delivery!.history[0]).toMatchObject({ attempt: 1, error: 'no answer within 500 ms' });
  expect(delivery!.history[0]).not.toHaveProperty('statusCode');
  expect(delivery!.history.at(-1)).toMatchObject({ statusCode: 202 });
});

test("a 429's Retry-After is honoured: the next attempt waits as long as the receiver asked", async () => {
  const { server, acme } = await start((raw) => {
    raw.callbacks.retrySchedule = ['10ms', '5s'];
  });
  receiver.answer = (_callback, index) =>
    index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 };
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/busy`]);
  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
  const [first, second] = delivery!.history;
  expect(first).toMatchObject({ statusCode: 429, error: 'answered 429' });
  // The schedule said 10 ms; the receiver said 1 s.
  expect(first!.retryAt! - (first!.startedAt + first!.durationMs)).toBe(1000);
  expect(second!.startedAt).toBeGreaterThanOrEqual(first!.retryAt!);
});

test('a redirect is never followed: a 302 is a failed attempt, and its Location gets nothing', async () => {
  const { server, acme } = await start();
  receiver.answer = (callback, index) =>
    callback.path === '/moved' && index === 0
      ? { status: 302, headers: { location: `${receiver.url}/elsewhere` } }
      : { status: 200 };
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/moved`]);
  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
  expect(delivery!.history[0]).toMatchObject({
    statusCode: 302,
    error: 'answered 302: a redirect, which is not followed',
  });
  expect(receiver.received.map((callback) => callback.path)).toEqual(['/moved', '/moved']);
});

test('a 410 stops the delivery at once: no further attempt', async () => {
  const { server, acme } = await start();
  receiver.answer = () => ({ status: 410 });
  const triggerUUID = await trigger(server, acme, [`${receiver.url}/gone`]);
  const [delivery] = await settled(server, triggerUUID);
  expect(delivery).toMatchObject({
    status: 'gone',
    attempts: 1,
    history: [{ statusCode: 410, error: 'answered 410 Gone: no further attempt' }],
  });
  expect(delivery!.history[0]).not.toHaveProperty('retryAt');
  expect(receiver.received).toHaveLength(1);
});

test('while a secret is rotated, every secret signs', async () => {
  const { server, acme } = await start((raw) => {
    raw.organisations.acme.callbackSecrets = [secrets.acmeCallback, secrets.acmeNextCallback];
  });
  await trigger(server, acme, [`${receiver.url}/rotating`]);
  const [callback] = await receiver.waitFor(1);
  const headers = callback!.headers as Record<string, string>;
  const signed = (secret: string) =>
    expectedSignature(headers['webhook-id']!, headers['webhook-timestamp']!, callback!.body, secret);
  expect(headers['webhook-signature']).toBe(`${signed(secrets.acmeCallback)} ${signed(secrets.acmeNextCallback)}`);
});
