import type { ClaimRequest, TriggerRecord, TriggerResultRecord, UnfinishedCount } from './trigger-types';

/**
 * The triggers and their jobs. A job is a lease that expires, so a process that dies mid-run gives
 * its triggers back to whichever process claims next. Writing and finishing a trigger touch other
 * aggregates, so they are the `UnitOfWork`'s.
 */
export interface TriggerStore {
  /** The trigger with this id in this organisation; another organisation's trigger is not found. */
  findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined>;
  /** `findTrigger`'s trigger, only as far as its result goes: the read every poll for a result makes. */
  findResult(orgId: string, triggerUUID: string): Promise<TriggerResultRecord | undefined>;
  /**
   * Leases a batch in one transaction: for each service asked for, as many of its queued triggers
   * and triggers whose lease has expired as its concurrency leaves room for across every process,
   * oldest first (by `createdAt`, then `triggerUUID`). Every service is served in each batch, so
   * one service's backlog never holds back another's trigger, and a claim costs the same at any
   * queue length (an adapter reads the queue in this order from an index, never sorting it).
   * Claimed triggers are `running`, with `attempts` counting this claim. A claim need not outlive
   * a power cut (the SQLite adapter commits it without an fsync): a lost lease gives the trigger
   * back to the queue, as a dead worker's does.
   */
  claimTriggers(request: ClaimRequest): Promise<TriggerRecord[]>;
  /** Extends a lease; false when the worker no longer holds it. Like a claim, it need not outlive a power cut. */
  renewLease(triggerUUID: string, workerId: string, leaseExpiresAt: number): Promise<boolean>;
  /** Gives a worker's leased triggers back to the queue without counting the attempt. */
  releaseTriggers(workerId: string): Promise<number>;
  /** How many triggers of an organisation have not finished (queued or running). */
  countUnfinishedTriggers(orgId: string): Promise<number>;
  /** The unfinished triggers, counted per organisation and state, in that order. */
  countByState(): Promise<UnfinishedCount[]>;
}
