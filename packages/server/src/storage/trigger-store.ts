import type { ClaimRequest, TriggerRecord, UnfinishedCount } from './trigger-types';

/**
 * The triggers and their jobs. A job is a lease that expires, so a process that dies mid-run gives
 * its triggers back to whichever process claims next. Writing and finishing a trigger touch other
 * aggregates, so they are the `UnitOfWork`'s.
 */
export interface TriggerStore {
  /** The trigger with this id in this organisation; another organisation's trigger is not found. */
  findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined>;
  /**
   * Leases queued triggers, and triggers whose lease has expired, oldest first, within each
   * service's concurrency. Claimed triggers are `running`, with `attempts` counting this claim.
   */
  claimTriggers(request: ClaimRequest): Promise<TriggerRecord[]>;
  /** Extends a lease; false when the worker no longer holds it. */
  renewLease(triggerUUID: string, workerId: string, leaseExpiresAt: number): Promise<boolean>;
  /** Gives a worker's leased triggers back to the queue without counting the attempt. */
  releaseTriggers(workerId: string): Promise<number>;
  /** How many triggers of an organisation have not finished (queued or running). */
  countUnfinishedTriggers(orgId: string): Promise<number>;
  /** The unfinished triggers, counted per organisation and state, in that order. */
  countByState(): Promise<UnfinishedCount[]>;
}
