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
  /**
   * The `webhook-id` of the trigger's callback: in the same transaction, one delivery to each of
   * its `callbackUrls` is queued under it, due at once.
   */
  webhookId: string;
}

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

/** Thrown by `createTrigger` when the request no longer holds its `Idempotency-Key`; nothing is written. */
export class IdempotencyKeyLost extends Error {
  override readonly name = 'IdempotencyKeyLost';
}

/** Where a callback delivery is: waiting for its next attempt, or done one way or another. */
export type DeliveryState = 'pending' | 'delivered' | 'gone' | 'failed';

/** One attempt at a delivery. */
export interface DeliveryAttempt {
  /** 1 for the first. */
  attempt: number;
  startedAt: number;
  durationMs: number;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Why the attempt did not deliver: a network error, a timeout, a refused address, the answer. */
  error?: string;
  /** When the next attempt is due; absent when there is none. */
  retryAt?: number;
}

/** The callback of a finished trigger to one of its URLs. */
export interface DeliveryRecord {
  deliveryId: number;
  /** `webhook-id`: the same for every URL and every attempt of one trigger's callback. */
  webhookId: string;
  triggerUUID: string;
  orgId: string;
  url: string;
  status: DeliveryState;
  /** Attempts begun, an attempt cut short by a crash included. */
  attempts: number;
  /** When the next attempt is due, while pending. */
  nextAttemptAt?: number;
  createdAt: number;
  finishedAt?: number;
}

/** A delivery with every attempt made at it, oldest first. */
export interface DeliveryHistory extends DeliveryRecord {
  history: DeliveryAttempt[];
}

/** A delivery leased for an attempt, with the trigger its callback reports. */
export interface ClaimedDelivery {
  delivery: DeliveryRecord;
  trigger: TriggerRecord;
}

/** A deliverer asking for due deliveries. */
export interface DeliveryClaimRequest {
  workerId: string;
  now: number;
  /** The attempt must be recorded within this; after it, another claim may make it again. */
  leaseMs: number;
  limit: number;
}

/** An attempt's result, written only while the deliverer still holds the lease. */
export interface DeliveryAttemptRecord {
  deliveryId: number;
  workerId: string;
  attempt: DeliveryAttempt;
  /** `pending` when another attempt is due at `attempt.retryAt`. */
  status: DeliveryState;
}

/** How much work waits, for metrics. */
export interface QueueStats {
  /** Unfinished triggers, per organisation and state. */
  triggers: Array<{ orgId: string; status: 'queued' | 'running'; count: number }>;
  /** Callback deliveries waiting for an attempt. */
  pendingDeliveries: number;
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
  idempotencyKeys: number;
}

/** The storage and queue port. */
export interface Store {
  saveToken(token: TokenRecord): Promise<void>;
  /** The token with this hash, if it exists and has not expired at `now`. */
  findToken(tokenHash: string, now: number): Promise<TokenRecord | undefined>;

  /**
   * Writes the trigger and its queued job in one transaction, completing the `Idempotency-Key`
   * reservation given with its answer in the same one (or rejecting with {@link IdempotencyKeyLost}
   * and writing nothing).
   */
  createTrigger(trigger: NewTrigger, idempotency?: IdempotencyCompletion): Promise<void>;
  /** The trigger with this id in this organisation; another organisation's trigger is not found. */
  findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined>;

  /**
   * Leases queued triggers, and triggers whose lease has expired, oldest first, within each
   * service's concurrency. Claimed triggers are `running`, with `attempts` counting this claim.
   */
  claimTriggers(request: ClaimRequest): Promise<TriggerRecord[]>;
  /** Extends a lease; false when the worker no longer holds it. */
  renewLease(triggerUUID: string, workerId: string, leaseExpiresAt: number): Promise<boolean>;
  /**
   * Finishes a trigger, ends its job and queues its callback deliveries, in one transaction; false
   * (and nothing written) when the lease was lost.
   */
  finishTrigger(finish: TriggerFinish): Promise<boolean>;
  /** Gives a worker's leased triggers back to the queue without counting the attempt. */
  releaseTriggers(workerId: string): Promise<number>;

  /** How many triggers of an organisation have not finished (queued or running). */
  countUnfinishedTriggers(orgId: string): Promise<number>;
  /** The unfinished triggers and the pending deliveries, counted. */
  queueStats(): Promise<QueueStats>;

  /** Reserves an `Idempotency-Key`, unless a live request holds it or it was answered. */
  reserveIdempotencyKey(reservation: IdempotencyReservation): Promise<IdempotencyState>;
  /** Gives up a reservation whose request wrote nothing, so that a retry may go on. */
  releaseIdempotencyKey(orgId: string, key: string, owner: string): Promise<void>;

  /**
   * Leases deliveries that are due, and deliveries whose lease ran out, earliest first; each claim
   * counts an attempt.
   */
  claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]>;
  /** Records an attempt and what follows; false (and nothing written) when the lease was lost. */
  recordDeliveryAttempt(record: DeliveryAttemptRecord): Promise<boolean>;
  /** Gives a deliverer's leased deliveries back, due at `now`, without counting the attempt. */
  releaseDeliveries(workerId: string, now: number): Promise<number>;
  /** The deliveries of a trigger's callback, with their attempts, in the order of its `callbackUrls`. */
  findDeliveries(triggerUUID: string): Promise<DeliveryHistory[]>;

  /** Adds to the usage counters. */
  addUsage(counts: UsageCount[]): Promise<void>;
  /** Every usage counter. */
  listUsage(): Promise<UsageCount[]>;

  /**
   * Removes triggers finished before `finishedBefore` whose callbacks are no longer pending (with
   * their deliveries), and tokens and `Idempotency-Key`s expired at `now`.
   */
  purge(finishedBefore: number, now: number): Promise<PurgeResult>;

  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
