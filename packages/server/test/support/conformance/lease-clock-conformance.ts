import {
  describeStorage,
  t0,
  lease,
  urls,
  newTrigger,
  echo,
  finished,
  type OpenStorage,
  type Records,
} from './storage-fixtures';

const service = (orgId: string, concurrency: number, vsn = 'echo') => ({ orgId, vsn, concurrency });

async function runningOf(store: Records, triggerUUIDs: string[], orgId = 'acme'): Promise<number> {
  const triggers = await Promise.all(triggerUUIDs.map((id) => store.triggers.findTrigger(orgId, id)));
  return triggers.filter((trigger) => trigger?.status === 'running').length;
}

/**
 * What a store that keeps its leases and due times on the caller's clock promises (the SQLite
 * adapter): a claim takes triggers by `createdAt` whatever the order they were written in, a lease
 * lapses at the `now` of the next claim, a delivery is due at the `now` of a claim. On PostgreSQL
 * these are pg-boss's, on the database's time: postgres-recovery.test.ts checks them there.
 */
export function leaseClockConformance(name: string, open: OpenStorage): void {
  describeStorage(`${name} storage: leases and due times on the caller's clock`, open, (opened) => {
    test('claims oldest first, marks claimed triggers running and counts the attempt', async () => {
      const { store } = opened;
      const [a, b, c] = [newTrigger(), newTrigger(), newTrigger()];
      for (const trigger of [c, a, b]) await store.createTrigger(trigger);
      const claimed = await store.triggers.claimTriggers({
        workerId: 'w1',
        now: t0 + 100,
        leaseMs: lease,
        services: echo(2),
      });
      expect(claimed.map((trigger) => trigger.triggerUUID)).toEqual([a.triggerUUID, b.triggerUUID]);
      expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, startedAt: t0 + 100 });
      expect(await store.triggers.findTrigger('acme', a.triggerUUID)).toMatchObject({ status: 'running', attempts: 1 });
    });

    test('hands a trigger whose lease ran out to another worker, which counts a second attempt', async () => {
      const { store, peer } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'dead', now: t0 + 100, leaseMs: lease, services: echo() });
      expect(
        await peer.triggers.claimTriggers({
          workerId: 'w2',
          now: t0 + 100 + lease - 1,
          leaseMs: lease,
          services: echo(),
        }),
      ).toEqual([]);
      const [reclaimed] = await peer.triggers.claimTriggers({
        workerId: 'w2',
        now: t0 + 100 + lease,
        leaseMs: lease,
        services: echo(),
      });
      expect(reclaimed).toMatchObject({ triggerUUID: trigger.triggerUUID, attempts: 2, startedAt: t0 + 100 + lease });
    });

    test('writes nothing for a worker that lost its lease', async () => {
      const { store, peer } = opened;
      const trigger = newTrigger();
      await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'slow', now: t0 + 100, leaseMs: lease, services: echo() });
      await peer.triggers.claimTriggers({ workerId: 'w2', now: t0 + 100 + lease, leaseMs: lease, services: echo() });
      expect(
        await store.finishTrigger({
          webhookId: 'msg_test',
          triggerUUID: trigger.triggerUUID,
          workerId: 'slow',
          status: 'succeeded',
          output: 1,
          finishedAt: t0 + 2000,
        }),
      ).toBe(false);
      expect(await store.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ status: 'running' });
      expect(
        await peer.finishTrigger({
          webhookId: 'msg_test',
          triggerUUID: trigger.triggerUUID,
          workerId: 'w2',
          status: 'succeeded',
          output: 2,
          finishedAt: t0 + 2100,
        }),
      ).toBe(true);
      expect(await store.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({
        status: 'succeeded',
        output: 2,
      });
    });

    test('takes queued triggers and lapsed leases in one order, oldest first', async () => {
      const { store, peer } = opened;
      const [a, b, c, d] = [newTrigger(), newTrigger(), newTrigger(), newTrigger()];
      for (const trigger of [a, b, c, d]) await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'dead', now: t0, leaseMs: lease, services: [service('acme', 1)] });
      // b is claimed later, by a worker that is still alive.
      await store.triggers.claimTriggers({
        workerId: 'w1',
        now: t0 + lease - 1,
        leaseMs: 10 * lease,
        services: [service('acme', 2)],
      });
      const claimed = await peer.triggers.claimTriggers({
        workerId: 'w2',
        now: t0 + lease,
        leaseMs: lease,
        services: [service('acme', 3)],
      });
      // a's lease ran out: it comes first, before the triggers still queued; b is held.
      expect(claimed.map((trigger) => trigger.triggerUUID)).toEqual([a.triggerUUID, c.triggerUUID]);
      expect(claimed[0]).toMatchObject({ attempts: 2 });
      expect(await runningOf(store, [b.triggerUUID, d.triggerUUID])).toBe(1);
    });

    test('records an attempt for the lease holder only; a failed one is due again at its retry, a final one never', async () => {
      const { store, peer } = opened;
      const trigger = newTrigger({ callbackUrls: urls });
      await finished(store, trigger, t0 + 500);
      const [first, second] = await store.claimDeliveries({ workerId: 'd1', now: t0 + 500, leaseMs: lease, limit: 10 });
      const failed = {
        attempt: 1,
        startedAt: t0 + 500,
        durationMs: 7,
        statusCode: 503,
        error: 'answered 503',
        retryAt: t0 + 5000,
      };
      expect(
        await peer.deliveries.recordDeliveryAttempt({
          deliveryId: first!.delivery.deliveryId,
          workerId: 'd2',
          attempt: failed,
          status: 'pending',
        }),
      ).toBe(false);
      expect(
        await store.deliveries.recordDeliveryAttempt({
          deliveryId: first!.delivery.deliveryId,
          workerId: 'd1',
          attempt: failed,
          status: 'pending',
        }),
      ).toBe(true);
      const delivered = { attempt: 1, startedAt: t0 + 500, durationMs: 3, statusCode: 204 };
      expect(
        await store.deliveries.recordDeliveryAttempt({
          deliveryId: second!.delivery.deliveryId,
          workerId: 'd1',
          attempt: delivered,
          status: 'delivered',
        }),
      ).toBe(true);

      expect(await store.claimDeliveries({ workerId: 'd1', now: t0 + 4999, leaseMs: lease, limit: 10 })).toEqual([]);
      const [again] = await peer.claimDeliveries({ workerId: 'd2', now: t0 + 5000, leaseMs: lease, limit: 10 });
      expect(again?.delivery).toMatchObject({ url: urls[0], attempts: 2 });
      const gone = {
        attempt: 2,
        startedAt: t0 + 5000,
        durationMs: 4,
        statusCode: 410,
        error: 'answered 410 Gone: no further attempt',
      };
      expect(
        await peer.deliveries.recordDeliveryAttempt({
          deliveryId: again!.delivery.deliveryId,
          workerId: 'd2',
          attempt: gone,
          status: 'gone',
        }),
      ).toBe(true);

      expect(await store.claimDeliveries({ workerId: 'd1', now: t0 + 100 * lease, leaseMs: lease, limit: 10 })).toEqual(
        [],
      );
      const deliveries = await store.deliveries.findDeliveries(trigger.triggerUUID);
      expect(
        deliveries.map(({ status, attempts, finishedAt, history }) => ({ status, attempts, finishedAt, history })),
      ).toEqual([
        { status: 'gone', attempts: 2, finishedAt: t0 + 5004, history: [failed, gone] },
        { status: 'delivered', attempts: 1, finishedAt: t0 + 503, history: [delivered] },
      ]);
      expect(deliveries[0]).not.toHaveProperty('nextAttemptAt');
      expect((await store.queueStats()).pendingDeliveries).toBe(0);
    });

    test('claims due deliveries earliest first, with their trigger, each claim counting an attempt', async () => {
      const { store, peer } = opened;
      const early = newTrigger({ callbackUrls: ['https://early.example/cb'] });
      const late = newTrigger({ callbackUrls: ['https://late.example/cb'] });
      await finished(store, late, t0 + 600);
      await finished(store, early, t0 + 500);
      expect(await store.claimDeliveries({ workerId: 'd1', now: t0 + 499, leaseMs: lease, limit: 10 })).toEqual([]);
      const claimed = await store.claimDeliveries({ workerId: 'd1', now: t0 + 600, leaseMs: lease, limit: 10 });
      expect(claimed.map(({ delivery }) => delivery.url)).toEqual([
        'https://early.example/cb',
        'https://late.example/cb',
      ]);
      expect(claimed[0]).toMatchObject({
        delivery: { attempts: 1, status: 'pending' },
        trigger: { triggerUUID: early.triggerUUID, status: 'succeeded', output: { ok: true } },
      });
      // Leased: no one else gets them until the lease runs out.
      expect(
        await peer.claimDeliveries({ workerId: 'd2', now: t0 + 600 + lease - 1, leaseMs: lease, limit: 10 }),
      ).toEqual([]);
      const reclaimed = await peer.claimDeliveries({
        workerId: 'd2',
        now: t0 + 600 + lease,
        leaseMs: lease,
        limit: 10,
      });
      expect(reclaimed.map(({ delivery }) => delivery.attempts)).toEqual([2, 2]);
    });

    test('a resent delivery is due at the resend, not before', async () => {
      const { store, peer } = opened;
      const trigger = newTrigger();
      await finished(store, trigger, t0 + 500);
      const [claimed] = await store.claimDeliveries({ workerId: 'd1', now: t0 + 500, leaseMs: lease, limit: 1 });
      const { deliveryId } = claimed!.delivery;
      const failed = { attempt: 1, startedAt: t0 + 500, durationMs: 5, statusCode: 500, error: 'answered 500' };
      await store.deliveries.recordDeliveryAttempt({ deliveryId, workerId: 'd1', attempt: failed, status: 'failed' });
      const request = { orgId: 'acme', triggerUUID: trigger.triggerUUID, deliveryId, now: t0 + 9000 };
      expect(await peer.admin.resendDelivery(request)).toMatchObject({ outcome: 'resent' });
      expect(await store.claimDeliveries({ workerId: 'd2', now: t0 + 8999, leaseMs: lease, limit: 1 })).toEqual([]);
      const [again] = await store.claimDeliveries({ workerId: 'd2', now: t0 + 9000, leaseMs: lease, limit: 1 });
      expect(again?.delivery).toMatchObject({ deliveryId, attempts: 2 });
    });
  });
}
