import type { IdempotencyReservation, IdempotencyState } from './idempotency-types';

/**
 * The `Idempotency-Key`s of execute, per organisation. A reservation is completed by the
 * transaction that writes its trigger (the `UnitOfWork`'s `createTrigger`).
 */
export interface IdempotencyKeyStore {
  /** Reserves an `Idempotency-Key`, unless a live request holds it or it was answered. */
  reserveIdempotencyKey(reservation: IdempotencyReservation): Promise<IdempotencyState>;
  /** Gives up a reservation whose request wrote nothing, so that a retry may go on. */
  releaseIdempotencyKey(orgId: string, key: string, owner: string): Promise<void>;
  /** Removes the keys expired at `now`; resolves to how many. */
  purgeExpired(now: number): Promise<number>;
}
