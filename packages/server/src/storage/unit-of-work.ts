import type { DeliveryClaimRequest, DeliveryRecord } from './delivery-types';
import type { IdempotencyCompletion } from './idempotency-types';
import type { NewTrigger, TriggerFinish, TriggerRecord, UnfinishedCount } from './trigger-types';

/** A delivery leased for an attempt, with the trigger its callback reports. */
export interface ClaimedDelivery {
  delivery: DeliveryRecord;
  trigger: TriggerRecord;
}

/** How much work waits, for metrics. */
export interface QueueStats {
  /** Unfinished triggers, per organisation and state. */
  triggers: UnfinishedCount[];
  /** Callback deliveries waiting for an attempt. */
  pendingDeliveries: number;
}

/** What a purge removed. */
export interface PurgeResult {
  triggers: number;
  tokens: number;
  idempotencyKeys: number;
}

/**
 * The work that spans aggregates. An adapter runs each write over its aggregate repositories in
 * one transaction (SQLite: one immediate transaction; PostgreSQL: one client between BEGIN and
 * COMMIT), so that each is all or nothing; a purge removes in batches, one transaction each.
 */
export interface UnitOfWork {
  /**
   * Writes the trigger and its queued job, completing the `Idempotency-Key` reservation given with
   * its answer in the same transaction (or rejecting with `IdempotencyKeyLost` and writing nothing).
   */
  createTrigger(trigger: NewTrigger, idempotency?: IdempotencyCompletion): Promise<void>;
  /**
   * Finishes a trigger, ends its job and queues its callback deliveries, in one transaction; false
   * (and nothing written) when the lease was lost.
   */
  finishTrigger(finish: TriggerFinish): Promise<boolean>;
  /**
   * Leases deliveries that are due, and deliveries whose lease ran out, earliest first, each with
   * its trigger; each claim counts an attempt.
   */
  claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]>;
  /**
   * Removes triggers finished before `finishedBefore` whose callbacks are no longer pending (with
   * their deliveries), and tokens and `Idempotency-Key`s expired at `now`.
   */
  purge(finishedBefore: number, now: number): Promise<PurgeResult>;
  /** The unfinished triggers and the pending deliveries, counted. */
  queueStats(): Promise<QueueStats>;
}
