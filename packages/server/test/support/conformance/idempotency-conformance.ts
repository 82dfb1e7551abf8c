import { describeStorage, t0, lease, newTrigger, reservation, type OpenStorage } from './storage-fixtures';

/** What every storage adapter promises of the Idempotency-Keys. */
export function idempotencyConformance(name: string, open: OpenStorage): void {
  describeStorage(`${name} storage: Idempotency-Keys`, open, (opened) => {
    test('the first request reserves a key; a second meets it in flight, then its answer once the trigger is written', async () => {
      const { store, peer } = opened;
      expect(await store.idempotencyKeys.reserveIdempotencyKey(reservation())).toEqual({ state: 'reserved' });
      expect(
        await peer.idempotencyKeys.reserveIdempotencyKey(
          reservation({ owner: 'request-2', requestHash: 'hash-b', now: t0 + 1 }),
        ),
      ).toEqual({
        state: 'in_flight',
        requestHash: 'hash-a',
      });
      const trigger = newTrigger();
      const response = { message: 'Successfully triggered echo@acme', triggerUUID: trigger.triggerUUID };
      await store.createTrigger(trigger, { key: 'order-7', owner: 'request-1', response });
      expect(
        await peer.idempotencyKeys.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + 2 })),
      ).toEqual({ state: 'completed', requestHash: 'hash-a', response });
      // Per organisation: another organisation's key of the same name is its own.
      expect(
        await store.idempotencyKeys.reserveIdempotencyKey(reservation({ orgId: 'globex', owner: 'request-4' })),
      ).toEqual({ state: 'reserved' });
    });

    test('a released key, a key whose request died, and an expired key may be taken again', async () => {
      const { store, peer } = opened;
      await store.idempotencyKeys.reserveIdempotencyKey(reservation());
      await store.idempotencyKeys.releaseIdempotencyKey('acme', 'order-7', 'request-1');
      expect(await peer.idempotencyKeys.reserveIdempotencyKey(reservation({ owner: 'request-2' }))).toEqual({
        state: 'reserved',
      });
      // request-2 died: its lease runs out.
      expect(
        await store.idempotencyKeys.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + lease })),
      ).toEqual({ state: 'reserved' });
      const trigger = newTrigger();
      await store.createTrigger(trigger, {
        key: 'order-7',
        owner: 'request-3',
        response: { triggerUUID: trigger.triggerUUID },
      });
      expect(
        await store.idempotencyKeys.reserveIdempotencyKey(
          reservation({ owner: 'request-4', now: t0 + lease + 10 * lease }),
        ),
      ).toEqual({ state: 'reserved' });
      expect(await store.purge(t0, t0 + 100 * lease)).toMatchObject({ idempotencyKeys: 1 });
    });

    test('removes the keys expired at a time, answered or not', async () => {
      const { store, peer } = opened;
      await store.idempotencyKeys.reserveIdempotencyKey(reservation());
      await store.idempotencyKeys.reserveIdempotencyKey(
        reservation({ key: 'order-8', now: t0 + 1, leaseMs: 100 * lease, retentionMs: 100 * lease }),
      );
      expect(await peer.idempotencyKeys.purgeExpired(t0 + 10 * lease)).toBe(1);
      // order-8 is still held by its request.
      expect(
        await peer.idempotencyKeys.reserveIdempotencyKey(
          reservation({ key: 'order-8', owner: 'request-2', now: t0 + 10 * lease }),
        ),
      ).toEqual({
        state: 'in_flight',
        requestHash: 'hash-a',
      });
    });
  });
}
