import type { NewTrigger, Store } from '../../src';

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
      expect(await store.finishTrigger({ triggerUUID: a.triggerUUID, workerId: 'w1', status: 'succeeded', output: { n: 1 }, finishedAt: t0 + 200 })).toBe(true);
      expect(await store.finishTrigger({ triggerUUID: b.triggerUUID, workerId: 'w1', status: 'failed', error, finishedAt: t0 + 300 })).toBe(true);
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
      await store.finishTrigger({ triggerUUID: trigger.triggerUUID, workerId: 'w1', status: 'succeeded', output: null, finishedAt: t0 + 200 });
      expect(await store.findTrigger('acme', trigger.triggerUUID)).not.toHaveProperty('output');
    });

    test('writes nothing for a worker that lost its lease', async () => {
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'slow', now: t0 + 100, leaseMs: lease, services: echo() });
      await handles.second.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease, leaseMs: lease, services: echo() });
      expect(await store.finishTrigger({ triggerUUID: trigger.triggerUUID, workerId: 'slow', status: 'succeeded', output: 1, finishedAt: t0 + 2000 })).toBe(false);
      expect(await store.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ status: 'running' });
      expect(await handles.second.finishTrigger({ triggerUUID: trigger.triggerUUID, workerId: 'w2', status: 'succeeded', output: 2, finishedAt: t0 + 2100 })).toBe(true);
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
      const [old, recent, waiting] = [newTrigger(), newTrigger(), newTrigger()];
      for (const trigger of [old, recent, waiting]) await store.createTrigger(trigger);
      await store.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(2) });
      await store.finishTrigger({ triggerUUID: old.triggerUUID, workerId: 'w1', status: 'succeeded', finishedAt: t0 + 1000 });
      await store.finishTrigger({ triggerUUID: recent.triggerUUID, workerId: 'w1', status: 'succeeded', finishedAt: t0 + 3000 });
      await store.saveToken({ tokenHash: 'gone', clientId: 'c', orgId: 'acme', scope: 's', issuedAt: t0, expiresAt: t0 + 10 });
      await store.saveToken({ tokenHash: 'live', clientId: 'c', orgId: 'acme', scope: 's', issuedAt: t0, expiresAt: t0 + 10_000 });

      expect(await store.purge(t0 + 2000, t0 + 20)).toEqual({ triggers: 1, tokens: 1 });
      expect(await store.findTrigger('acme', old.triggerUUID)).toBeUndefined();
      expect(await store.findTrigger('acme', recent.triggerUUID)).toBeDefined();
      expect(await store.findTrigger('acme', waiting.triggerUUID)).toBeDefined();
      expect(await store.findToken('live', t0 + 20)).toBeDefined();
    });

    test('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
