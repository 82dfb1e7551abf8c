import type { DeliveryAttemptRecord, DeliveryHistory } from './delivery-types';

/**
 * The callback deliveries, one per callback URL of a finished trigger, and their attempts. They are
 * queued and claimed with their trigger, so those two are the `UnitOfWork`'s.
 */
export interface DeliveryStore {
  /** Records an attempt and what follows; false (and nothing written) when the lease was lost. */
  recordDeliveryAttempt(record: DeliveryAttemptRecord): Promise<boolean>;
  /** Gives a deliverer's leased deliveries back, due at `now`, without counting the attempt. */
  releaseDeliveries(workerId: string, now: number): Promise<number>;
  /** The deliveries of a trigger's callback, with their attempts, in the order of its `callbackUrls`. */
  findDeliveries(triggerUUID: string): Promise<DeliveryHistory[]>;
  /** How many deliveries wait for an attempt. */
  countPending(): Promise<number>;
}
