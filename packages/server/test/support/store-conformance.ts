import { IdempotencyKeyLost, type NewTrigger, type Store } from '../../src';

/** An adapter under test: two handles on the same storage, as two processes would have. */
export interface StoreHandles {
  first: Store;
  second: Store;
  close(): Promise<void>;
}

const t0 = Date.parse('2026-01-01T12:00:00.000Z');
const lease = 1000;
let sequence = 0;

function newTrigger(overrides: Partial<NewTrigger> = {}): NewTrigger {
  sequence++;
  return {
    triggerUUID: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    orgId: 'acme',
    vsn: 'echo',
    triggerParameters: { key: `value ${sequence}` },
    callbackUrls: ['https://a.example/cb'],
    requestId: `request-${sequence}`,
    createdAt: t0 + sequence,
    ...overrides,
  };
}

const echo = (concurrency = 10) => [{ orgId: 'acme', vsn: 'echo', concurrency }];

/** Writes a trigger and runs it to its end as worker `w1` would, at `finishedAt`. */
async function finished(store: Store, trigger: NewTrigger, finishedAt: number, webhookId = `msg_${trigger.triggerUUID}`): Promise<void> {
  await store.createTrigger(trigger);
  await store.claimTriggers({ workerId: 'w1', now: trigger.createdAt, leaseMs: lease, services: [{ orgId: trigger.orgId, vsn: trigger.vsn, concurrency: 1000 }] });
  await store.finishTrigger({ triggerUUID: trigger.triggerUUID, workerId: 'w1', status: 'succeeded', output: { ok: true }, finishedAt, webhookId });
}

/**
 * What every storage adapter promises, checked the same way for each: the SQLite one now, a
 * PostgreSQL one when it comes.
 */
export function storeConformance(name: string, open: () => Promise<StoreHandles>): void {
  describe(`${name} store`, () => {
    let handles: StoreHandles;
    let store: Store;

    beforeEach(async () => {
      handles = await open();
      store = handles.first;
    });

    afterEach(() => handles.close());

    test('keeps a trigger queued, with everything execute gave it', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      expect(await store.findTrigger('acme', trigger.triggerUUID)).toEqual({ ...trigger, status: 'queued', attempts: 0 });
    });

    test("finds a trigger only in its own organisation", async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      expect(await store.findTrigger('globex', trigger.triggerUUID)).toBeUndefined();
    });

    test('refuses a second trigger with the same triggerUUID, and keeps the first', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await expect(store.createTrigger({ ...trigger, vsn: 'other' })).rejects.toThrow();
      expect((await store.findTrigger('acme', trigger.triggerUUID))?.vsn).toBe('echo');
    });

    test('claims oldest first, marks claimed triggers running and counts the attempt', async () => {
      const [a, b, c] = [newTrigger(), newTrigger(), newTrigger()];
      for (const trigger of [c, a, b]) await store.createTrigger(trigger);
      const claimed = await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(2) });
      expect(claimed.map((trigger) => trigger.triggerUUID)).toEqual([a.triggerUUID, b.triggerUUID]);
      expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, startedAt: t0 + 100 });
      expect(await store.findTrigger('acme', a.triggerUUID)).toMatchObject({ status: 'running', attempts: 1 });
    });

    test('claims only the services asked for', async () => {
      const other = newTrigger({ vsn: 'other' });
      await store.createTrigger(other);
      expect(await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() })).toEqual([]);
    });

    test("keeps a service's concurrency across every handle", async () => {
      for (let i = 0; i < 5; i++) await store.createTrigger(newTrigger());
      const first = await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(3) });
      const second = await handles.second.claimTriggers({ workerId: 'w2', now: t0 + 100, leaseMs: lease, services: echo(3) });
      expect(first).toHaveLength(3);
      expect(second).toHaveLength(0);
    });

    test('never hands the same trigger to two workers', async () => {
      const triggers = Array.from({ length: 20 }, () => newTrigger());
      for (const trigger of triggers) await store.createTrigger(trigger);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? store : handles.second).claimTriggers({ workerId: `w${i}`, now: t0 + 100, leaseMs: lease, services: echo(100) }),
        ),
      );
      const claimed = claims.flat().map((trigger) => trigger.triggerUUID);
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed).size).toBe(20);
    });

    test('hands a trigger whose lease ran out to another worker, which counts a second attempt', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'dead', now: t0 + 100, leaseMs: lease, services: echo() });
      expect(await handles.second.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease - 1, leaseMs: lease, services: echo() })).toEqual([]);
      const [reclaimed] = await handles.second.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease, leaseMs: lease, services: echo() });
      expect(reclaimed).toMatchObject({ triggerUUID: trigger.triggerUUID, attempts: 2, startedAt: t0 + 100 + lease });
    });

    test('renews a lease only for its holder', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      expect(await store.renewLease(trigger.triggerUUID, 'w1', t0 + 100 + 2 * lease)).toBe(true);
      expect(await store.renewLease(trigger.triggerUUID, 'w2', t0 + 100 + 2 * lease)).toBe(false);
      // Renewed: not claimable when the first lease would have run out.
      expect(await store.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease, leaseMs: lease, services: echo() })).toEqual([]);
    });

    test('finishes a trigger for its lease holder, with output or error', async () => {
      const [a, b] = [newTrigger(), newTrigger()];
      await store.createTrigger(a);
      await store.createTrigger(b);
      await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      const error = { scope: 'service', reason: 'Service failed', message: 'no' };
      expect(await store.finishTrigger({ webhookId: 'msg_test', triggerUUID: a.triggerUUID, workerId: 'w1', status: 'succeeded', output: { n: 1 }, finishedAt: t0 + 200 })).toBe(true);
      expect(await store.finishTrigger({ webhookId: 'msg_test', triggerUUID: b.triggerUUID, workerId: 'w1', status: 'failed', error, finishedAt: t0 + 300 })).toBe(true);
      expect(await store.findTrigger('acme', a.triggerUUID)).toMatchObject({ status: 'succeeded', output: { n: 1 }, finishedAt: t0 + 200 });
      const failed = await store.findTrigger('acme', b.triggerUUID);
      expect(failed).toMatchObject({ status: 'failed', error, finishedAt: t0 + 300 });
      expect(failed).not.toHaveProperty('output');
      // Finished triggers are never claimed again.
      expect(await store.claimTriggers({ workerId: 'w2', now: t0 + 10 * lease, leaseMs: lease, services: echo() })).toEqual([]);
    });

    test('keeps no output for a service that returned null', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      await store.finishTrigger({ webhookId: 'msg_test', triggerUUID: trigger.triggerUUID, workerId: 'w1', status: 'succeeded', output: null, finishedAt: t0 + 200 });
      expect(await store.findTrigger('acme', trigger.triggerUUID)).not.toHaveProperty('output');
    });

    test('writes nothing for a worker that lost its lease', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'slow', now: t0 + 100, leaseMs: lease, services: echo() });
      await handles.second.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease, leaseMs: lease, services: echo() });
      expect(await store.finishTrigger({ webhookId: 'msg_test', triggerUUID: trigger.triggerUUID, workerId: 'slow', status: 'succeeded', output: 1, finishedAt: t0 + 2000 })).toBe(false);
      expect(await store.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ status: 'running' });
      expect(await handles.second.finishTrigger({ webhookId: 'msg_test', triggerUUID: trigger.triggerUUID, workerId: 'w2', status: 'succeeded', output: 2, finishedAt: t0 + 2100 })).toBe(true);
      expect(await store.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ status: 'succeeded', output: 2 });
    });

    test("gives a worker's triggers back without counting the attempt", async () => {
      const [a, b] = [newTrigger(), newTrigger()];
      await store.createTrigger(a);
      await store.createTrigger(b);
      await store.claimTriggers({ workerId: 'stopping', now: t0 + 100, leaseMs: lease, services: echo(1) });
      await store.claimTriggers({ workerId: 'other', now: t0 + 100, leaseMs: lease, services: echo(2) });
      expect(await store.releaseTriggers('stopping')).toBe(1);
      expect(await store.findTrigger('acme', a.triggerUUID)).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await store.findTrigger('acme', b.triggerUUID)).toMatchObject({ status: 'running', attempts: 1 });
      const [again] = await handles.second.claimTriggers({ workerId: 'w2', now: t0 + 101, leaseMs: lease, services: echo(2) });
      expect(again).toMatchObject({ triggerUUID: a.triggerUUID, attempts: 1 });
    });

    test('keeps tokens by hash until they expire', async () => {
      const token = { tokenHash: 'h1', clientId: 'c', orgId: 'acme', scope: 'autofacilitateapi', issuedAt: t0, expiresAt: t0 + 1000 };
      await store.saveToken(token);
      expect(await handles.second.findToken('h1', t0 + 999)).toEqual(token);
      expect(await store.findToken('h1', t0 + 1000)).toBeUndefined();
      expect(await store.findToken('h2', t0)).toBeUndefined();
    });

    test('adds usage counts from every handle', async () => {
      await store.addUsage([{ orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 2, lastUsedAt: t0 + 5 }]);
      await handles.second.addUsage([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 3, lastUsedAt: t0 + 1 },
        { orgId: 'acme', apiKey: 'main', operationId: 'getTriggerResult', count: 1, lastUsedAt: t0 + 9 },
      ]);
      expect(await store.listUsage()).toEqual([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 5, lastUsedAt: t0 + 5 },
        { orgId: 'acme', apiKey: 'main', operationId: 'getTriggerResult', count: 1, lastUsedAt: t0 + 9 },
      ]);
    });

    test('purges finished triggers older than the cutoff and expired tokens, nothing else', async () => {
      const [old, recent, waiting] = [newTrigger({ callbackUrls: [] }), newTrigger({ callbackUrls: [] }), newTrigger({ callbackUrls: [] })];
      for (const trigger of [old, recent, waiting]) await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(2) });
      await store.finishTrigger({ webhookId: 'msg_test', triggerUUID: old.triggerUUID, workerId: 'w1', status: 'succeeded', finishedAt: t0 + 1000 });
      await store.finishTrigger({ webhookId: 'msg_test', triggerUUID: recent.triggerUUID, workerId: 'w1', status: 'succeeded', finishedAt: t0 + 3000 });
      await store.saveToken({ tokenHash: 'gone', clientId: 'c', orgId: 'acme', scope: 's', issuedAt: t0, expiresAt: t0 + 10 });
      await store.saveToken({ tokenHash: 'live', clientId: 'c', orgId: 'acme', scope: 's', issuedAt: t0, expiresAt: t0 + 10_000 });

      expect(await store.purge(t0 + 2000, t0 + 20)).toEqual({ triggers: 1, tokens: 1, idempotencyKeys: 0 });
      expect(await store.findTrigger('acme', old.triggerUUID)).toBeUndefined();
      expect(await store.findTrigger('acme', recent.triggerUUID)).toBeDefined();
      expect(await store.findTrigger('acme', waiting.triggerUUID)).toBeDefined();
      expect(await store.findToken('live', t0 + 20)).toBeDefined();
    });

    describe('callback deliveries', () => {
      const urls = ['https://a.example/cb', 'https://b.example/cb?token=1'];

      test('finishing a trigger queues one delivery per callback URL, in order, under one webhook-id, due at once', async () => {
        const trigger = newTrigger({ callbackUrls: urls });
        await finished(store, trigger, t0 + 500, 'msg_one');
        const deliveries = await handles.second.findDeliveries(trigger.triggerUUID);
        expect(deliveries).toEqual(
          urls.map((url) => ({
            deliveryId: expect.any(Number),
            webhookId: 'msg_one',
            triggerUUID: trigger.triggerUUID,
            orgId: 'acme',
            url,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: t0 + 500,
            createdAt: t0 + 500,
            history: [],
          })),
        );
        expect((await store.queueStats()).pendingDeliveries).toBe(2);
      });

      test('a trigger without callback URLs, or a finish without the lease, queues none', async () => {
        const quiet = newTrigger({ callbackUrls: [] });
        await finished(store, quiet, t0 + 500);
        const lost = newTrigger({ callbackUrls: urls });
        await store.createTrigger(lost);
        expect(await store.finishTrigger({ webhookId: 'msg_x', triggerUUID: lost.triggerUUID, workerId: 'nobody', status: 'succeeded', finishedAt: t0 + 500 })).toBe(false);
        expect(await store.findDeliveries(quiet.triggerUUID)).toEqual([]);
        expect(await store.findDeliveries(lost.triggerUUID)).toEqual([]);
      });

      test('claims due deliveries earliest first, with their trigger, each claim counting an attempt', async () => {
        const early = newTrigger({ callbackUrls: ['https://early.example/cb'] });
        const late = newTrigger({ callbackUrls: ['https://late.example/cb'] });
        await finished(store, late, t0 + 600);
        await finished(store, early, t0 + 500);
        expect(await store.claimDeliveries({ workerId: 'd1', now: t0 + 499, leaseMs: lease, limit: 10 })).toEqual([]);
        const claimed = await store.claimDeliveries({ workerId: 'd1', now: t0 + 600, leaseMs: lease, limit: 10 });
        expect(claimed.map(({ delivery }) => delivery.url)).toEqual(['https://early.example/cb', 'https://late.example/cb']);
        expect(claimed[0]).toMatchObject({ delivery: { attempts: 1, status: 'pending' }, trigger: { triggerUUID: early.triggerUUID, status: 'succeeded', output: { ok: true } } });
        // Leased: no one else gets them until the lease runs out.
        expect(await handles.second.claimDeliveries({ workerId: 'd2', now: t0 + 600 + lease - 1, leaseMs: lease, limit: 10 })).toEqual([]);
        const reclaimed = await handles.second.claimDeliveries({ workerId: 'd2', now: t0 + 600 + lease, leaseMs: lease, limit: 10 });
        expect(reclaimed.map(({ delivery }) => delivery.attempts)).toEqual([2, 2]);
      });

      test('records an attempt for the lease holder only; a failed one is due again at its retry, a final one never', async () => {
        const trigger = newTrigger({ callbackUrls: urls });
        await finished(store, trigger, t0 + 500);
        const [first, second] = await store.claimDeliveries({ workerId: 'd1', now: t0 + 500, leaseMs: lease, limit: 10 });
        const failed = { attempt: 1, startedAt: t0 + 500, durationMs: 7, statusCode: 503, error: 'answered 503', retryAt: t0 + 5000 };
        expect(await handles.second.recordDeliveryAttempt({ deliveryId: first!.delivery.deliveryId, workerId: 'd2', attempt: failed, status: 'pending' })).toBe(false);
        expect(await store.recordDeliveryAttempt({ deliveryId: first!.delivery.deliveryId, workerId: 'd1', attempt: failed, status: 'pending' })).toBe(true);
        const delivered = { attempt: 1, startedAt: t0 + 500, durationMs: 3, statusCode: 204 };
        expect(await store.recordDeliveryAttempt({ deliveryId: second!.delivery.deliveryId, workerId: 'd1', attempt: delivered, status: 'delivered' })).toBe(true);

        expect(await store.claimDeliveries({ workerId: 'd1', now: t0 + 4999, leaseMs: lease, limit: 10 })).toEqual([]);
        const [again] = await handles.second.claimDeliveries({ workerId: 'd2', now: t0 + 5000, leaseMs: lease, limit: 10 });
        expect(again?.delivery).toMatchObject({ url: urls[0], attempts: 2 });
        const gone = { attempt: 2, startedAt: t0 + 5000, durationMs: 4, statusCode: 410, error: 'answered 410 Gone: no further attempt' };
        expect(await handles.second.recordDeliveryAttempt({ deliveryId: again!.delivery.deliveryId, workerId: 'd2', attempt: gone, status: 'gone' })).toBe(true);

        expect(await store.claimDeliveries({ workerId: 'd1', now: t0 + 100 * lease, leaseMs: lease, limit: 10 })).toEqual([]);
        const deliveries = await store.findDeliveries(trigger.triggerUUID);
        expect(deliveries.map(({ status, attempts, finishedAt, history }) => ({ status, attempts, finishedAt, history }))).toEqual([
          { status: 'gone', attempts: 2, finishedAt: t0 + 5004, history: [failed, gone] },
          { status: 'delivered', attempts: 1, finishedAt: t0 + 503, history: [delivered] },
        ]);
        expect(deliveries[0]).not.toHaveProperty('nextAttemptAt');
        expect((await store.queueStats()).pendingDeliveries).toBe(0);
      });

      test("gives a deliverer's deliveries back, due at once, without counting the attempt", async () => {
        const trigger = newTrigger({ callbackUrls: urls });
        await finished(store, trigger, t0 + 500);
        await store.claimDeliveries({ workerId: 'stopping', now: t0 + 500, leaseMs: lease, limit: 1 });
        expect(await store.releaseDeliveries('stopping', t0 + 700)).toBe(1);
        const claimed = await handles.second.claimDeliveries({ workerId: 'd2', now: t0 + 700, leaseMs: lease, limit: 10 });
        // The one left was due first; the one given back is due from its release.
        expect(claimed.map(({ delivery }) => [delivery.url, delivery.attempts])).toEqual([
          [urls[1], 1],
          [urls[0], 1],
        ]);
      });

      test('a finished trigger is kept while its callback is pending, and goes with its deliveries after', async () => {
        const trigger = newTrigger({ callbackUrls: ['https://a.example/cb'] });
        await finished(store, trigger, t0 + 500);
        expect((await store.purge(t0 + 10_000, t0)).triggers).toBe(0);
        const [claimed] = await store.claimDeliveries({ workerId: 'd1', now: t0 + 500, leaseMs: lease, limit: 10 });
        await store.recordDeliveryAttempt({ deliveryId: claimed!.delivery.deliveryId, workerId: 'd1', attempt: { attempt: 1, startedAt: t0 + 500, durationMs: 1, statusCode: 200 }, status: 'delivered' });
        expect((await store.purge(t0 + 10_000, t0)).triggers).toBe(1);
        expect(await store.findTrigger('acme', trigger.triggerUUID)).toBeUndefined();
        expect(await store.findDeliveries(trigger.triggerUUID)).toEqual([]);
      });
    });

    describe('Idempotency-Keys', () => {
      const reservation = (overrides: Partial<Parameters<Store['reserveIdempotencyKey']>[0]> = {}) => ({
        orgId: 'acme',
        key: 'order-7',
        requestHash: 'hash-a',
        owner: 'request-1',
        now: t0,
        leaseMs: lease,
        retentionMs: 10 * lease,
        ...overrides,
      });

      test('the first request reserves a key; a second meets it in flight, then its answer once the trigger is written', async () => {
        expect(await store.reserveIdempotencyKey(reservation())).toEqual({ state: 'reserved' });
        expect(await handles.second.reserveIdempotencyKey(reservation({ owner: 'request-2', requestHash: 'hash-b', now: t0 + 1 }))).toEqual({
          state: 'in_flight',
          requestHash: 'hash-a',
        });
        const trigger = newTrigger();
        const response = { message: 'Successfully triggered echo@acme', triggerUUID: trigger.triggerUUID };
        await store.createTrigger(trigger, { key: 'order-7', owner: 'request-1', response });
        expect(await handles.second.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + 2 }))).toEqual({ state: 'completed', requestHash: 'hash-a', response });
        // Per organisation: another organisation's key of the same name is its own.
        expect(await store.reserveIdempotencyKey(reservation({ orgId: 'globex', owner: 'request-4' }))).toEqual({ state: 'reserved' });
      });

      test('a released key, a key whose request died, and an expired key may be taken again', async () => {
        await store.reserveIdempotencyKey(reservation());
        await store.releaseIdempotencyKey('acme', 'order-7', 'request-1');
        expect(await handles.second.reserveIdempotencyKey(reservation({ owner: 'request-2' }))).toEqual({ state: 'reserved' });
        // request-2 died: its lease runs out.
        expect(await store.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + lease }))).toEqual({ state: 'reserved' });
        const trigger = newTrigger();
        await store.createTrigger(trigger, { key: 'order-7', owner: 'request-3', response: { triggerUUID: trigger.triggerUUID } });
        expect(await store.reserveIdempotencyKey(reservation({ owner: 'request-4', now: t0 + lease + 10 * lease }))).toEqual({ state: 'reserved' });
        expect(await store.purge(t0, t0 + 100 * lease)).toMatchObject({ idempotencyKeys: 1 });
      });

      test('a trigger written under a key its request no longer holds is not written at all', async () => {
        await store.reserveIdempotencyKey(reservation());
        await handles.second.reserveIdempotencyKey(reservation({ owner: 'request-2', now: t0 + lease }));
        const trigger = newTrigger();
        await expect(store.createTrigger(trigger, { key: 'order-7', owner: 'request-1', response: {} })).rejects.toBeInstanceOf(IdempotencyKeyLost);
        expect(await store.findTrigger('acme', trigger.triggerUUID)).toBeUndefined();
        expect(await store.reserveIdempotencyKey(reservation({ owner: 'request-5', now: t0 + lease + 1 }))).toEqual({ state: 'in_flight', requestHash: 'hash-a' });
      });
    });

    test('counts unfinished triggers per organisation and state', async () => {
      const [a, b, c] = [newTrigger(), newTrigger(), newTrigger({ orgId: 'globex' })];
      for (const trigger of [a, b, c]) await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(1) });
      expect(await handles.second.countUnfinishedTriggers('acme')).toBe(2);
      expect(await handles.second.countUnfinishedTriggers('initech')).toBe(0);
      expect((await handles.second.queueStats()).triggers).toEqual([
        { orgId: 'acme', status: 'queued', count: 1 },
        { orgId: 'acme', status: 'running', count: 1 },
        { orgId: 'globex', status: 'queued', count: 1 },
      ]);
    });

    test('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
