/**
 * The storage port. Every adapter (the embedded SQLite one, a PostgreSQL one) keeps the same
 * promises, and none of them may assume it is the only process: jobs are claimed with leases that
 * expire, so a process that dies mid-run gives its triggers back to whichever process claims next.
 */

/** Where a trigger is in its life (the spec's `triggerState`). */
export type TriggerState = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out';

/** How a finished trigger ended. */
export type FinishedState = Extract<TriggerState, 'succeeded' | 'failed' | 'timed_out'>;

/** One problem, in the spec's `Error` shape. */
export interface TriggerError {
  scope: string;
  reason: string;
  message: string;
}

/** What `execute` writes: the trigger and, in the same transaction, its job. */
export interface NewTrigger {
  triggerUUID: string;
  orgId: string;
  vsn: string;
  triggerParameters: Record<string, string>;
  callbackUrls: string[];
  /** The request that created the trigger, so the worker's log lines can name it. */
  requestId: string;
  createdAt: number;
}

/** A trigger as the store keeps it. Times are milliseconds since the Unix epoch. */
export interface TriggerRecord extends NewTrigger {
  status: TriggerState;
  /** What the service returned; `undefined` when it returned nothing. */
  output?: unknown;
  error?: TriggerError;
  startedAt?: number;
  finishedAt?: number;
  /** How many times a worker has claimed the trigger. */
  attempts: number;
}

/** One service's share of a claim: at most `concurrency` of its triggers run at once, across all processes. */
export interface ServiceCapacity {
  orgId: string;
  vsn: string;
  concurrency: number;
}

/** A worker asking for triggers to run. */
export interface ClaimRequest {
  workerId: string;
  now: number;
  leaseMs: number;
  services: ServiceCapacity[];
}

/** The end of a run, written only while the worker still holds the lease. */
export interface TriggerFinish {
  triggerUUID: string;
  workerId: string;
  status: FinishedState;
  output?: unknown;
  error?: TriggerError;
  finishedAt: number;
}

/** An access token, kept by the hash of its value. */
export interface TokenRecord {
  tokenHash: string;
  clientId: string;
  orgId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
}

/** How many calls one API key made to one operation. */
export interface UsageCount {
  orgId: string;
  apiKey: string;
  operationId: string;
  count: number;
  lastUsedAt: number;
}

/** What a purge removed. */
export interface PurgeResult {
  triggers: number;
  tokens: number;
}

/** The storage and queue port. */
export interface Store {
  saveToken(token: TokenRecord): Promise<void>;
  /** The token with this hash, if it exists and has not expired at `now`. */
  findToken(tokenHash: string, now: number): Promise<TokenRecord | undefined>;

  /** Writes the trigger and its queued job in one transaction. */
  createTrigger(trigger: NewTrigger): Promise<void>;
  /** The trigger with this id in this organisation; another organisation's trigger is not found. */
  findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined>;

  /**
   * Leases queued triggers, and triggers whose lease has expired, oldest first, within each
   * service's concurrency. Claimed triggers are `running`, with `attempts` counting this claim.
   */
  claimTriggers(request: ClaimRequest): Promise<TriggerRecord[]>;
  /** Extends a lease; false when the worker no longer holds it. */
  renewLease(triggerUUID: string, workerId: string, leaseExpiresAt: number): Promise<boolean>;
  /** Finishes a trigger and ends its job; false (and nothing written) when the lease was lost. */
  finishTrigger(finish: TriggerFinish): Promise<boolean>;
  /** Gives a worker's leased triggers back to the queue without counting the attempt. */
  releaseTriggers(workerId: string): Promise<number>;

  /** Adds to the usage counters. */
  addUsage(counts: UsageCount[]): Promise<void>;
  /** Every usage counter. */
  listUsage(): Promise<UsageCount[]>;

  /** Removes triggers finished before `finishedBefore` and tokens expired at `now`. */
  purge(finishedBefore: number, now: number): Promise<PurgeResult>;

  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
