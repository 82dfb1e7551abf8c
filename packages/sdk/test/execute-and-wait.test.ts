import { AuthError, NotFoundError, TimeoutError, type TriggerPending } from '@autofacilitate/sdk';
import { empty, errorResponse, json } from './support/fake-api';
import { makeClient, rejection, settle } from './support/make-client';

const running = (headers: Record<string, string> = {}) =>
  json(
    202,
    { triggerUUID: '1234', vsn: 'ServerName', status: 'running', createdAt: '2026-01-01T12:00:00.000Z' },
    headers,
  );
const succeeded = () =>
  json(200, {
    triggerUUID: '1234',
    vsn: 'ServerName',
    status: 'succeeded',
    output: { answer: 42 },
    createdAt: '2026-01-01T12:00:00.000Z',
  });

/** Waits other than the deadline's own timer (maxWaitMs, 120 s by default). */
const polls = (waits: number[], maxWaitMs = 120_000) => waits.filter((ms) => ms !== maxWaitMs);

test('executes, then polls with backoff and jitter until the trigger has finished', async () => {
  const draws = [0, 1, 0.5, 0.5];
  const { api, clock, client } = makeClient({ random: () => draws.shift() ?? 0.5 });
  api.script('result', running(), running(), running(), succeeded());
  const progress: TriggerPending[] = [];

  const outcome = await clock.run(
    client.executeAndWait('ServerName', { key: 'value' }, { onProgress: (p) => progress.push(p) }),
  );

  expect(outcome).toMatchObject({ status: 'succeeded', done: true, output: { answer: 42 } });
  expect(api.seen('execute')).toHaveLength(1);
  expect(api.seen('result')).toHaveLength(4);
  // Equal jitter over a doubling ceiling from 500 ms: [250, 500), [500, 1000), [1000, 2000).
  expect(polls(clock.waits)).toEqual([250, 1000, 1500]);
  expect(progress.map((p) => p.status)).toEqual(['running', 'running', 'running']);
});

test('waits what Retry-After says when the server says it', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', running({ 'Retry-After': '4' }), succeeded());
  await clock.run(client.executeAndWait('ServerName'));
  expect(polls(clock.waits)).toEqual([4000]);
});

test('Retry-After: 0 is no advice: the backoff applies rather than a busy loop', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', running({ 'Retry-After': '0' }), succeeded());
  await clock.run(client.executeAndWait('ServerName'));
  expect(polls(clock.waits)).toEqual([375]);
});

test('the poll interval is capped by maxPollIntervalMs', async () => {
  const { api, clock, client } = makeClient({ random: () => 0.999 });
  api.script('result', running(), running(), running(), running(), succeeded());
  await clock.run(client.executeAndWait('ServerName', {}, { pollIntervalMs: 1000, maxPollIntervalMs: 3000 }));
  expect(polls(clock.waits).map((ms) => Math.round(ms / 100) * 100)).toEqual([1000, 2000, 3000, 3000]);
});

test('Alvaria’s API reference’s 204 ends the wait as a success', async () => {
  const { clock, client } = makeClient();
  await expect(clock.run(client.executeAndWait('ServerName'))).resolves.toEqual({
    status: 'succeeded',
    done: true,
    triggerUUID: '1234',
    vsn: 'ServerName',
  });
});

test('a trigger that failed is an outcome, not an error', async () => {
  const { api, clock, client } = makeClient();
  api.script(
    'result',
    json(200, {
      triggerUUID: '1234',
      vsn: 'ServerName',
      status: 'failed',
      error: { message: 'boom' },
      createdAt: '2026-01-01T12:00:00.000Z',
    }),
  );
  await expect(clock.run(client.executeAndWait('ServerName'))).resolves.toMatchObject({
    status: 'failed',
    error: { message: 'boom' },
  });
});

describe('fails fast instead of waiting out a refusal', () => {
  test.each([
    ['401 (after one refresh)', [empty(401), empty(401)], AuthError],
    ['403', [errorResponse(403)], AuthError],
    ['404', [errorResponse(404)], NotFoundError],
  ])('%s while polling', async (_, replies, ErrorClass) => {
    const { api, clock, client } = makeClient();
    api.script('result', running(), ...replies);
    const started = clock.now();

    const error = await clock.run(rejection(client.executeAndWait('ServerName', {}, { maxWaitMs: 600_000 })));

    expect(error).toBeInstanceOf(ErrorClass);
    // One poll interval passed (before the second poll); nothing was waited after the refusal.
    expect(clock.now() - started).toBe(polls(clock.waits, 600_000)[0]);
    expect(clock.pending).toBe(0);
  });

  test('a refused execute is never polled', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', errorResponse(404));
    await expect(clock.run(client.executeAndWait('ServerName'))).rejects.toBeInstanceOf(NotFoundError);
    expect(api.seen('result')).toHaveLength(0);
  });
});

test('transient failures while polling are retried inside the same deadline', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', running(), errorResponse(503), errorResponse(502), succeeded());
  await expect(clock.run(client.executeAndWait('ServerName'))).resolves.toMatchObject({ status: 'succeeded' });
  expect(api.seen('result')).toHaveLength(4);
});

test('maxWaitMs covers execute and every poll: a TimeoutError carrying the triggerUUID', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', ...Array.from({ length: 50 }, () => running()));
  const started = clock.now();

  const error = await clock.run(rejection(client.executeAndWait('ServerName', {}, { maxWaitMs: 10_000 })));

  expect(error).toBeInstanceOf(TimeoutError);
  expect(error).toMatchObject({ timeoutMs: 10_000, triggerUUID: '1234', operation: 'getTriggerResult' });
  expect((error as Error).message).toBe('Trigger 1234 of ServerName did not finish within 10000 ms');
  expect(clock.now() - started).toBe(10_000);
  expect(clock.pending).toBe(0);
});

test('an aborted signal stops the wait mid-poll, at once', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', running({ 'Retry-After': '30' }));
  const controller = new AbortController();
  const call = client.executeAndWait('ServerName', {}, { signal: controller.signal });
  await settle();
  expect(polls(clock.waits)).toEqual([30_000]);

  controller.abort(new Error('user cancelled'));

  await expect(call).rejects.toThrow('user cancelled');
  expect(api.seen('result')).toHaveLength(1);
  expect(clock.pending).toBe(0);
});

test('an onProgress that throws ends the wait with its error', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', running());
  const failure = new Error('handler broke');
  await expect(
    clock.run(
      client.executeAndWait(
        'ServerName',
        {},
        {
          onProgress: () => {
            throw failure;
          },
        },
      ),
    ),
  ).rejects.toBe(failure);
});

test('the idempotency key and per-call headers go with execute; the headers with every poll', async () => {
  const { api, clock, client } = makeClient();
  api.script('result', running(), succeeded());
  await clock.run(client.executeAndWait('ServerName', {}, { idempotencyKey: 'k-1', headers: { 'X-Trace': 't' } }));
  expect(api.seen('execute')[0]?.headers.get('idempotency-key')).toBe('k-1');
  expect(api.seen('result').map((request) => request.headers.get('x-trace'))).toEqual(['t', 't']);
  expect(api.seen('result').map((request) => request.headers.has('idempotency-key'))).toEqual([false, false]);
});

describe('waitForResult: waiting again for a trigger already started', () => {
  test('polls until the trigger has finished, under one deadline', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', running({ 'Retry-After': '2' }), succeeded());
    const outcome = await clock.run(client.waitForResult('ServerName', '1234', { maxWaitMs: 60_000 }));
    expect(outcome).toMatchObject({ status: 'succeeded', output: { answer: 42 } });
    expect(api.seen('execute')).toHaveLength(0);
    expect(polls(clock.waits, 60_000)).toEqual([2000]);
  });

  test('gives up at maxWaitMs with a TimeoutError naming the trigger', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', ...Array.from({ length: 20 }, () => running({ 'Retry-After': '1' })));
    const error = await clock.run(rejection(client.waitForResult('ServerName', 1234, { maxWaitMs: 5_000 })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      triggerUUID: '1234',
      timeoutMs: 5_000,
      message: 'Trigger 1234 of ServerName did not finish within 5000 ms',
    });
  });
});

test('executeAndWait tells onStarted the trigger before the first poll', async () => {
  const { api, clock, client } = makeClient();
  const heard: string[] = [];
  api.script('execute', json(200, { message: 'ok', triggerUUID: '1234' }, { 'Idempotent-Replayed': 'true' }));
  api.script('result', (request) => {
    heard.push(`poll ${request.url.split('/').at(-1)}`);
    return succeeded();
  });
  await clock.run(
    client.executeAndWait(
      'ServerName',
      {},
      {
        idempotencyKey: 'k',
        onStarted: (started) => heard.push(`started ${started.triggerUUID} ${String(started.replayed)}`),
      },
    ),
  );
  expect(heard).toEqual(['started 1234 true', 'poll 1234']);
});
