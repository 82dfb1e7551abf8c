import { describeStorage, t0, lease, urls, newTrigger, finished, type OpenStorage } from './storage-fixtures';

/** What every storage adapter promises of the callback deliveries. */
export function deliveryConformance(name: string, open: OpenStorage): void {
  describeStorage(`${name} storage: deliveries`, open, (opened) => {
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

    test("gives a deliverer's deliveries back, due at once, without counting the attempt", async () => {
      const { store, peer } = opened;
      const trigger = newTrigger({ callbackUrls: urls });
      await finished(store, trigger, t0 + 500);
      await store.claimDeliveries({ workerId: 'stopping', now: t0 + 500, leaseMs: lease, limit: 1 });
      expect(await store.deliveries.releaseDeliveries('stopping', t0 + 700)).toBe(1);
      const claimed = await peer.claimDeliveries({ workerId: 'd2', now: t0 + 700, leaseMs: lease, limit: 10 });
      // The one left was due first; the one given back is due from its release.
      expect(claimed.map(({ delivery }) => [delivery.url, delivery.attempts])).toEqual([
        [urls[1], 1],
        [urls[0], 1],
      ]);
    });
  });
}
