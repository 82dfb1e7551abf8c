import { describeStorage, t0, lease, newTrigger, echo, type OpenStorage, type Records } from './storage-fixtures';

/** What every storage adapter promises of the triggers and their jobs. */
export function triggerConformance(name: string, open: OpenStorage<Records>): void {
  describeStorage(`${name} storage: triggers`, open, (opened) => {
    test('keeps a trigger queued, with everything execute gave it', async () => {
      const { store } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      expect(await store.triggers.findTrigger('acme', trigger.triggerUUID)).toEqual({
        ...trigger,
        status: 'queued',
        attempts: 0,
      });
    });

    test("keeps execute's trace with the trigger, for the worker that claims it", async () => {
      const { store } = opened;
      const trace = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'a=1,b=2' };
      const traced = newTrigger({ trace });
      const bare = newTrigger({ trace: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-00' } });
      await store.createTrigger(traced);
      await store.createTrigger(bare);
      expect((await store.triggers.findTrigger('acme', traced.triggerUUID))?.trace).toEqual(trace);
      const claimed = await store.triggers.claimTriggers({
        workerId: 'w1',
        now: t0 + 1000,
        leaseMs: lease,
        services: echo(),
      });
      expect(claimed.map((trigger) => trigger.trace)).toEqual([trace, bare.trace]);
    });

    test('finds a trigger only in its own organisation', async () => {
      const { store } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      expect(await store.triggers.findTrigger('globex', trigger.triggerUUID)).toBeUndefined();
      expect(await store.triggers.findResult('globex', trigger.triggerUUID)).toBeUndefined();
    });

    test("reads a trigger's result as far as it goes, at each step", async () => {
      const { store } = opened;
      const [ok, failed] = [newTrigger(), newTrigger()];
      await store.createTrigger(ok);
      await store.createTrigger(failed);
      const head = { vsn: 'echo', createdAt: ok.createdAt };
      expect(await store.triggers.findResult('acme', ok.triggerUUID)).toEqual({
        ...head,
        triggerUUID: ok.triggerUUID,
        status: 'queued',
      });
      await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      expect(await store.triggers.findResult('acme', ok.triggerUUID)).toEqual({
        ...head,
        triggerUUID: ok.triggerUUID,
        status: 'running',
        startedAt: t0 + 100,
      });
      const error = { scope: 'service', reason: 'Service failed', message: 'no' };
      const finish = { webhookId: 'msg_test', workerId: 'w1', finishedAt: t0 + 200 };
      await store.finishTrigger({ ...finish, triggerUUID: ok.triggerUUID, status: 'succeeded', output: { n: [1] } });
      await store.finishTrigger({ ...finish, triggerUUID: failed.triggerUUID, status: 'failed', error });
      expect(await store.triggers.findResult('acme', ok.triggerUUID)).toEqual({
        ...head,
        triggerUUID: ok.triggerUUID,
        status: 'succeeded',
        output: { n: [1] },
        startedAt: t0 + 100,
        finishedAt: t0 + 200,
      });
      expect(await store.triggers.findResult('acme', failed.triggerUUID)).toEqual({
        vsn: 'echo',
        createdAt: failed.createdAt,
        triggerUUID: failed.triggerUUID,
        status: 'failed',
        error,
        startedAt: t0 + 100,
        finishedAt: t0 + 200,
      });
    });

    test('refuses a second trigger with the same triggerUUID, and keeps the first', async () => {
      const { store } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await expect(store.createTrigger({ ...trigger, vsn: 'other' })).rejects.toThrow();
      expect((await store.triggers.findTrigger('acme', trigger.triggerUUID))?.vsn).toBe('echo');
    });

    test('claims only the services asked for', async () => {
      const { store } = opened;
      const other = newTrigger({ vsn: 'other' });
      await store.createTrigger(other);
      expect(
        await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() }),
      ).toEqual([]);
    });

    test("keeps a service's concurrency across every handle", async () => {
      const { store, peer } = opened;
      for (let i = 0; i < 5; i++) await store.createTrigger(newTrigger());
      const first = await store.triggers.claimTriggers({
        workerId: 'w1',
        now: t0 + 100,
        leaseMs: lease,
        services: echo(3),
      });
      const second = await peer.triggers.claimTriggers({
        workerId: 'w2',
        now: t0 + 100,
        leaseMs: lease,
        services: echo(3),
      });
      expect(first).toHaveLength(3);
      expect(second).toHaveLength(0);
    });

    test('never hands the same trigger to two workers', async () => {
      const { store, peer } = opened;
      const triggers = Array.from({ length: 20 }, () => newTrigger());
      for (const trigger of triggers) await store.createTrigger(trigger);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? store : peer).triggers.claimTriggers({
            workerId: `w${i}`,
            now: t0 + 100,
            leaseMs: lease,
            services: echo(100),
          }),
        ),
      );
      const claimed = claims.flat().map((trigger) => trigger.triggerUUID);
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed).size).toBe(20);
    });

    test('renews a lease only for its holder', async () => {
      const { store } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      expect(await store.triggers.renewLease(trigger.triggerUUID, 'w1', t0 + 100 + 2 * lease)).toBe(true);
      expect(await store.triggers.renewLease(trigger.triggerUUID, 'w2', t0 + 100 + 2 * lease)).toBe(false);
      // Renewed: not claimable when the first lease would have run out.
      expect(
        await store.triggers.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease, leaseMs: lease, services: echo() }),
      ).toEqual([]);
    });

    test('finishes a trigger for its lease holder, with output or error', async () => {
      const { store } = opened;
      const [a, b] = [newTrigger(), newTrigger()];
      await store.createTrigger(a);
      await store.createTrigger(b);
      await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      const error = { scope: 'service', reason: 'Service failed', message: 'no' };
      expect(
        await store.finishTrigger({
          webhookId: 'msg_test',
          triggerUUID: a.triggerUUID,
          workerId: 'w1',
          status: 'succeeded',
          output: { n: 1 },
          finishedAt: t0 + 200,
        }),
      ).toBe(true);
      expect(
        await store.finishTrigger({
          webhookId: 'msg_test',
          triggerUUID: b.triggerUUID,
          workerId: 'w1',
          status: 'failed',
          error,
          finishedAt: t0 + 300,
        }),
      ).toBe(true);
      expect(await store.triggers.findTrigger('acme', a.triggerUUID)).toMatchObject({
        status: 'succeeded',
        output: { n: 1 },
        finishedAt: t0 + 200,
      });
      const failed = await store.triggers.findTrigger('acme', b.triggerUUID);
      expect(failed).toMatchObject({ status: 'failed', error, finishedAt: t0 + 300 });
      expect(failed).not.toHaveProperty('output');
      // Finished triggers are never claimed again.
      expect(
        await store.triggers.claimTriggers({ workerId: 'w2', now: t0 + 10 * lease, leaseMs: lease, services: echo() }),
      ).toEqual([]);
    });

    test('keeps no output for a service that returned null', async () => {
      const { store } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo() });
      await store.finishTrigger({
        webhookId: 'msg_test',
        triggerUUID: trigger.triggerUUID,
        workerId: 'w1',
        status: 'succeeded',
        output: null,
        finishedAt: t0 + 200,
      });
      expect(await store.triggers.findTrigger('acme', trigger.triggerUUID)).not.toHaveProperty('output');
    });

    test("gives a worker's triggers back without counting the attempt", async () => {
      const { store, peer } = opened;
      const [a, b] = [newTrigger(), newTrigger()];
      await store.createTrigger(a);
      await store.createTrigger(b);
      await store.triggers.claimTriggers({ workerId: 'stopping', now: t0 + 100, leaseMs: lease, services: echo(1) });
      await store.triggers.claimTriggers({ workerId: 'other', now: t0 + 100, leaseMs: lease, services: echo(2) });
      expect(await store.triggers.releaseTriggers('stopping')).toBe(1);
      expect(await store.triggers.findTrigger('acme', a.triggerUUID)).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await store.triggers.findTrigger('acme', b.triggerUUID)).toMatchObject({ status: 'running', attempts: 1 });
      const [again] = await peer.triggers.claimTriggers({
        workerId: 'w2',
        now: t0 + 101,
        leaseMs: lease,
        services: echo(2),
      });
      expect(again).toMatchObject({ triggerUUID: a.triggerUUID, attempts: 1 });
    });

    test('counts unfinished triggers per organisation and state', async () => {
      const { store, peer } = opened;
      const [a, b, c] = [newTrigger(), newTrigger(), newTrigger({ orgId: 'globex' })];
      for (const trigger of [a, b, c]) await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(1) });
      expect(await peer.triggers.countUnfinishedTriggers('acme')).toBe(2);
      expect(await peer.triggers.countUnfinishedTriggers('initech')).toBe(0);
      expect(await peer.triggers.countByState()).toEqual([
        { orgId: 'acme', status: 'queued', count: 1 },
        { orgId: 'acme', status: 'running', count: 1 },
        { orgId: 'globex', status: 'queued', count: 1 },
      ]);
    });
  });
}
