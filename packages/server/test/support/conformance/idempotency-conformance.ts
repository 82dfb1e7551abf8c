import { IdempotencyKeyLost, type IdempotencyCompletion, type IdempotencyKeyStore } from '../../../src';
import { describeRepository, type OpenRepository } from './repository-fixtures';
import { t0, lease, newTrigger, reservation } from './storage-fixtures';

/** The Idempotency-Keys of an adapter, and how it completes one: in the transaction that writes its trigger. */
export interface IdempotencyUnderTest {
  keys: IdempotencyKeyStore;
  /**
   * Completes a reservation with its answer as writing the organisation's trigger does, in one
   * transaction; rejects with `IdempotencyKeyLost` (and writes nothing) when its request no longer holds it.
   */
  complete(orgId: string, completion: IdempotencyCompletion): Promise<void>;
}

/** What every storage adapter promises of the Idempotency-Keys. */
export function idempotencyConformance(name: string, open: OpenRepository<IdempotencyUnderTest>): void {
  describeRepository(`${name} storage: Idempotency-Keys`, open, (opened) => {
    test('the first request reserves a key; a second meets it in flight, then its answer once the trigger is written', async () => {
      const { store, peer } = opened;
      expect(await store.keys.reserveIdempotencyKey(reservation())).toEqual({ state: 'reserved' });
      expect(
        await peer.keys.reserveIdempotencyKey(reservation({ owner: 'request-2', requestHash: 'hash-b', now: t0 + 1 })),
      ).toEqual({
        state: 'in_flight',
        requestHash: 'hash-a',
      });
      const trigger = newTrigger();
      const response = { message: 'Successfully triggered echo@acme', triggerUUID: trigger.triggerUUID };
      await store.complete('acme', { key: 'order-7', owner: 'request-1', response });
      expect(await peer.keys.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + 2 }))).toEqual({
        state: 'completed',
        requestHash: 'hash-a',
        response,
      });
      // Per organisation: another organisation's key of the same name is its own.
      expect(await store.keys.reserveIdempotencyKey(reservation({ orgId: 'globex', owner: 'request-4' }))).toEqual({
        state: 'reserved',
      });
    });

    test('a released key, a key whose request died, and an expired key may be taken again', async () => {
      const { store, peer } = opened;
      await store.keys.reserveIdempotencyKey(reservation());
      await store.keys.releaseIdempotencyKey('acme', 'order-7', 'request-1');
      expect(await peer.keys.reserveIdempotencyKey(reservation({ owner: 'request-2' }))).toEqual({
        state: 'reserved',
      });
      // request-2 died: its lease runs out.
      expect(await store.keys.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + lease }))).toEqual({
        state: 'reserved',
      });
      const trigger = newTrigger();
      await store.complete('acme', {
        key: 'order-7',
        owner: 'request-3',
        response: { triggerUUID: trigger.triggerUUID },
      });
      expect(
        await store.keys.reserveIdempotencyKey(reservation({ owner: 'request-4', now: t0 + lease + 10 * lease })),
      ).toEqual({ state: 'reserved' });
      expect(await store.keys.purgeExpired(t0 + 100 * lease)).toBe(1);
    });

    test('requests racing for a new key: one reserves it, the others meet it in flight', async () => {
      const { store, peer } = opened;
      const states = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          (index % 2 === 0 ? store : peer).keys.reserveIdempotencyKey(reservation({ owner: `request-${index}` })),
        ),
      );
      expect(states.filter(({ state }) => state === 'reserved')).toHaveLength(1);
      expect(states.filter(({ state }) => state === 'in_flight')).toHaveLength(7);
    });

    test('a request that lost its key cannot complete it; the one holding it can', async () => {
      const { store, peer } = opened;
      await store.keys.reserveIdempotencyKey(reservation());
      // request-1 is taken for dead once its lease runs out.
      await peer.keys.reserveIdempotencyKey(
        reservation({ owner: 'request-2', requestHash: 'hash-b', now: t0 + lease }),
      );
      await expect(store.complete('acme', { key: 'order-7', owner: 'request-1', response: {} })).rejects.toBeInstanceOf(
        IdempotencyKeyLost,
      );
      expect(await store.keys.reserveIdempotencyKey(reservation({ owner: 'request-3', now: t0 + lease + 1 }))).toEqual({
        state: 'in_flight',
        requestHash: 'hash-b',
      });
      await peer.complete('acme', { key: 'order-7', owner: 'request-2', response: { answer: 2 } });
      expect(await store.keys.reserveIdempotencyKey(reservation({ owner: 'request-4', now: t0 + lease + 2 }))).toEqual({
        state: 'completed',
        requestHash: 'hash-b',
        response: { answer: 2 },
      });
    });

    test('removes the keys expired at a time, answered or not', async () => {
      const { store, peer } = opened;
      await store.keys.reserveIdempotencyKey(reservation());
      await store.keys.reserveIdempotencyKey(
        reservation({ key: 'order-8', now: t0 + 1, leaseMs: 100 * lease, retentionMs: 100 * lease }),
      );
      expect(await peer.keys.purgeExpired(t0 + 10 * lease)).toBe(1);
      // order-8 is still held by its request.
      expect(
        await peer.keys.reserveIdempotencyKey(
          reservation({ key: 'order-8', owner: 'request-2', now: t0 + 10 * lease }),
        ),
      ).toEqual({
        state: 'in_flight',
        requestHash: 'hash-a',
      });
    });
  });
}
