import type { RateLimiter } from '../limits/rate-limiter';
import type { Clock } from '../time/clock';
import type { AdminStore } from './admin-store';
import type { DeliveryStore } from './delivery-store';
import type { IdempotencyKeyStore } from './idempotency-key-store';
import type { TokenStore } from './token-store';
import type { TriggerStore } from './trigger-store';
import type { UnitOfWork } from './unit-of-work';
import type { UsageStore } from './usage-store';

/**
 * The storage port: one repository per aggregate, and the unit of work for what spans them. Every
 * adapter (the embedded SQLite one, a PostgreSQL one) keeps the same promises, and none may assume
 * it is the only process sharing the storage.
 */
export interface Storage extends UnitOfWork, Repositories {
  /**
   * Whether several server processes write to this storage at once (PostgreSQL), so that what one
   * of them counted goes stale with the others' writes; SQLite's server is one process.
   */
  readonly clustered: boolean;
  /**
   * The token buckets of the limit `name`, shared by every process this storage serves at once:
   * in memory where that is one process (SQLite), in the database where it is a cluster.
   */
  rateLimiter(name: string, clock: Clock): RateLimiter;
  /** Resolves when the storage answers. */
  ping(): Promise<void>;
  /** Resolves when the queue of jobs answers: pg-boss, through its own pool; the triggers' table of the SQLite file. */
  pingQueue(): Promise<void>;
  /** This process's connection pools now, for the metrics; none for SQLite's one connection. */
  connectionPools(): PoolUse[];
  /** The job engine's queues, counted, for the metrics; none for SQLite, whose queue is the triggers' table. */
  jobQueues(): Promise<JobQueueCount[]>;
  /**
   * Tells `wake` at once of work other processes made due (PostgreSQL: LISTEN/NOTIFY); absent
   * where a process finds their work by polling alone. Closed by `close`.
   */
  listenForWork?(wake: WorkWake): Promise<WorkListener>;
  close(): Promise<void>;
}

/** Who is woken when another process makes work due. */
export interface WorkWake {
  triggers(): void;
  deliveries(): void;
}

/** A subscription of {@link Storage.listenForWork}. */
export interface WorkListener {
  close(): Promise<void>;
}

/** One repository per aggregate. */
export interface Repositories {
  readonly triggers: TriggerStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly deliveries: DeliveryStore;
  readonly tokens: TokenStore;
  readonly usage: UsageStore;
  /** What the admin operations read across the aggregates, and resend. */
  readonly admin: AdminStore;
}

/** A connection pool's use at one moment, as node-postgres counts it. */
export interface PoolUse {
  /** `storage` (our tables) or `queue` (pg-boss's own). */
  pool: string;
  /** Connections open. */
  total: number;
  /** Connections open and idle. */
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

/** One queue of the job engine: jobs waiting (`queued`), being worked on (`active`), failed and kept. */
export interface JobQueueCount {
  queue: string;
  queued: number;
  active: number;
  failed: number;
}
