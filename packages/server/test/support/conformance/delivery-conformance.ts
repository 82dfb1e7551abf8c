import {
  describeStorage,
  t0,
  lease,
  urls,
  newTrigger,
  finished,
  type OpenStorage,
  type Records,
} from './storage-fixtures';

/** What every storage adapter promises of the callback deliveries. */
export function deliveryConformance(name: string, open: OpenStorage<Records>): void {
  describeStorage(`${name} storage: deliveries`, open, (opened) => {
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
