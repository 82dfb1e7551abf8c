/**
 * An execute that carries an `Idempotency-Key`, as its request reserves the key: the key, per
 * organisation, and a hash of what the request asks for, so a repeat can be told from a reuse.
 */
export interface IdempotencyReservation {
  orgId: string;
  key: string;
  requestHash: string;
  /** Names the request handling the key; only it may complete or release the reservation. */
  owner: string;
  now: number;
  /** A reservation whose request died is taken over after this long. */
  leaseMs: number;
  /** The key and its answer are kept this long after the reservation. */
  retentionMs: number;
}

/** What reserving an `Idempotency-Key` found. */
export type IdempotencyState =
  /** The key is new (or expired): the request goes on, and completes the key with its trigger. */
  | { state: 'reserved' }
  /** Another request holds the key and has not answered yet. */
  | { state: 'in_flight'; requestHash: string }
  /** A request with the key was answered: `response` is that answer. */
  | { state: 'completed'; requestHash: string; response: unknown };

/** The reservation a new trigger completes, in the transaction that writes it, with its answer. */
export interface IdempotencyCompletion {
  key: string;
  owner: string;
  response: unknown;
}

// `createTrigger` rejects with it when the request no longer holds its `Idempotency-Key`; nothing is written.
export { IdempotencyKeyLost } from '../errors/catalogue';
