import { ServerError, TimeoutError } from '@autofacilitate/sdk';
import { HANG, errorResponse } from './support/fake-api';
import { makeClient, rejection, settle } from './support/make-client';

describe('one deadline per call', () => {
  test('a request that never answers ends with a TimeoutError at the deadline, and its fetch is aborted', async () => {
    const { api, clock, client } = makeClient({ timeoutMs: 2_000 });
    api.script('result', HANG);
    const started = clock.now();

    const error = await clock.run(rejection(client.getResult('ServerName', '1')));

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 2_000, operation: 'getTriggerResult', status: undefined });
    expect(clock.now() - started).toBe(2_000);
    expect(api.seen('result')[0]?.signal?.aborted).toBe(true);
  });

  test('covers retries: the deadline passes during the backoff of the third attempt', async () => {
    const { api, clock, client } = makeClient({ timeoutMs: 1_000, retry: { maxRetries: 10, baseDelayMs: 200 } });
    api.script('result', errorResponse(500), errorResponse(500), HANG);
    const started = clock.now();
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(clock.now() - started).toBe(1_000);
    expect(api.seen('result')).toHaveLength(3);
  });

  test('a wait that would outlast the deadline is not started: the last failure is thrown at once', async () => {
    const { api, clock, client } = makeClient({ timeoutMs: 5_000 });
    api.script('result', errorResponse(503, { 'Retry-After': '60' }));
    const started = clock.now();
    const error = await clock.run(rejection(client.getResult('ServerName', '1')));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ retryAfterMs: 60_000 });
    expect(clock.now()).toBe(started);
    expect(api.seen('result')).toHaveLength(1);
  });

  test('a call may set its own deadline', async () => {
    const { api, clock, client } = makeClient({ timeoutMs: 60_000 });
    api.script('execute', HANG);
    const started = clock.now();
    await expect(clock.run(client.execute('ServerName', {}, { timeoutMs: 250 }))).rejects.toMatchObject({
      name: 'TimeoutError',
      timeoutMs: 250,
    });
    expect(clock.now() - started).toBe(250);
  });

  test('timeoutMs: Infinity sets no deadline at all, and requests go without an abort signal', async () => {
    const { api, clock, client } = makeClient({ timeoutMs: Infinity });
    await clock.run(client.getResult('ServerName', '1'));
    expect(clock.waits).toEqual([]);
    expect(api.seen('result')[0]?.signal).toBeUndefined();
  });

  test('with a deadline or a caller’s signal, requests carry an abort signal', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.getResult('ServerName', '1'));
    const unbounded = makeClient({ timeoutMs: Infinity });
    await unbounded.clock.run(unbounded.client.getResult('ServerName', '1', { signal: new AbortController().signal }));
    expect(api.seen('result')[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(unbounded.api.seen('result')[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  test('every timer is released once the call is over', async () => {
    const { clock, client } = makeClient();
    await clock.run(client.execute('ServerName'));
    await expect(clock.run(client.getResult('ServerName', '1', { timeoutMs: 10 }))).resolves.toBeDefined();
    expect(clock.pending).toBe(0);
  });
});

describe('an aborted signal stops everything at once', () => {
  test('already aborted: nothing is sent and the call rejects with the signal reason', async () => {
    const { api, client } = makeClient();
    const reason = new Error('not needed any more');
    await expect(client.execute('ServerName', {}, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(api.requests).toHaveLength(0);
  });

  test('already aborted with a token in hand: still nothing is sent', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.getAccessToken());
    await expect(
      client.getResult('ServerName', '1', { signal: AbortSignal.abort(new Error('never mind')) }),
    ).rejects.toThrow('never mind');
    expect(api.seen('result')).toHaveLength(0);
  });

  test('mid-request: the fetch is aborted and the call rejects with the reason', async () => {
    const { api, client } = makeClient();
    api.script('execute', HANG);
    const controller = new AbortController();
    const call = client.execute('ServerName', {}, { signal: controller.signal });
    await settle();
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(api.seen('execute')[0]?.signal?.aborted).toBe(true);
  });

  test('mid-retry: the backoff wait ends and no further attempt is made', async () => {
    const { api, clock, client } = makeClient({ retry: { maxRetries: 5, baseDelayMs: 10_000 } });
    api.script('result', errorResponse(503));
    const controller = new AbortController();
    const call = client.getResult('ServerName', '1', { signal: controller.signal });
    await settle();
    expect(clock.waits).toContain(5_000); // sleeping before retry 1
    const before = clock.now();

    controller.abort(new Error('stop'));

    await expect(call).rejects.toThrow('stop');
    expect(clock.now()).toBe(before);
    expect(api.seen('result')).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  test('while waiting for a token', async () => {
    const { api, client } = makeClient();
    api.script('token', HANG);
    const controller = new AbortController();
    const call = client.getResult('ServerName', '1', { signal: controller.signal });
    await settle();
    controller.abort(new Error('stop'));
    await expect(call).rejects.toThrow('stop');
    expect(api.seen('result')).toHaveLength(0);
  });
});
