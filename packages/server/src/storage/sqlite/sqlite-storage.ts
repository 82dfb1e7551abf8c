import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MemoryRateLimiter } from '../../limits/memory-rate-limiter';
import type { RateLimiter } from '../../limits/rate-limiter';
import type { AdminStore } from '../admin-store';
import type { DeliveryStore } from '../delivery-store';
import type { DeliveryClaimRequest } from '../delivery-types';
import type { IdempotencyKeyStore } from '../idempotency-key-store';
import type { IdempotencyCompletion } from '../idempotency-types';
import type { JobQueueCount, PoolUse, Storage } from '../storage';
import { systemClock, type Clock } from '../../time/clock';
import type { TokenStore } from '../token-store';
import type { TriggerStore } from '../trigger-store';
import type { NewTrigger, TriggerFinish } from '../trigger-types';
import type { ClaimedDelivery, PurgeResult, QueueStats } from '../unit-of-work';
import type { UsageStore } from '../usage-store';
import { Checkpointer } from './checkpointer';
import { CommitTurn } from './group-commit';
import { leaseWrites } from './lease-writes';
import { migrate } from './migrations';
import { SqliteAdminStore } from './sqlite-admin-store';
import { SqliteDeliveryStore } from './sqlite-delivery-store';
import { SqliteIdempotencyKeyStore } from './sqlite-idempotency-key-store';
import { SqliteTokenStore } from './sqlite-token-store';
import { SqliteTriggerStore } from './sqlite-trigger-store';
import { SqliteUnitOfWork } from './sqlite-unit-of-work';
import { SqliteUsageStore } from './sqlite-usage-store';
import { WalSync } from './wal-sync';

/** Options of the embedded SQLite storage. */
export interface SqliteStorageOptions {
  /** The database file; its folder is created when missing. */
  file: string;
  /**
   * `FULL` (the default) keeps every committed trigger through a power cut, at the cost of one
   * fsync per group commit, run off the event loop; `NORMAL` only through a crash of the process.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another process's transaction before failing. */
  busyTimeoutMs?: number;
  /** Sets the checkpoint interval (the server passes its own); the system clock by default. */
  clock?: Clock;
}

const checkpointIntervalMs = 500;
// SQLite's own default, used again should the checkpointer stop.
const autoCheckpointPages = 1000;

/**
 * The embedded storage adapter: one SQLite file in WAL mode, one connection shared by the
 * aggregates. Several processes may share the file: every write is an immediate transaction, so
 * claims never interleave.
 */
export class SqliteStorage implements Storage {
  // Typed as the ports: their synchronous methods are for the unit of work alone.
  readonly triggers: TriggerStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly deliveries: DeliveryStore;
  readonly tokens: TokenStore;
  readonly usage: UsageStore;
  readonly admin: AdminStore;
  readonly clustered = false;
  readonly #db: Database.Database;
  readonly #work: SqliteUnitOfWork;
  readonly #deliveries: SqliteDeliveryStore;
  readonly #ping: Database.Statement;
  readonly #pingQueue: Database.Statement;
  readonly #checkpointer: Checkpointer;
  readonly #walSync: WalSync | undefined;

  /** Opens (and creates or migrates) the database file. */
  constructor(options: SqliteStorageOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    this.#db = db;
    try {
      // The busy timeout first: another process may be writing or migrating right now.
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      migrate(db);
      db.pragma('wal_autocheckpoint = 0');
      this.#checkpointer = new Checkpointer({
        file: options.file,
        intervalMs: checkpointIntervalMs,
        busyTimeoutMs: options.busyTimeoutMs ?? 5000,
        clock: options.clock ?? systemClock,
        onExit: () => {
          if (db.open) db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
        },
      });
    } catch (error) {
      db.close();
      throw error;
    }
    // A claim writes the finished runs waiting for their commit first: their slots are free at once.
    const triggers = new SqliteTriggerStore(db, () => this.#work.waitingFinishes());
    const idempotencyKeys = new SqliteIdempotencyKeyStore(db);
    const tokens = new SqliteTokenStore(db);
    // New triggers, finished runs and callback attempts of one moment share one commit. At FULL, it
    // is synced off the event loop, which goes on while the disk works (and gathers the next turns).
    this.#walSync = (options.synchronous ?? 'FULL') === 'FULL' ? new WalSync(`${options.file}-wal`) : undefined;
    const walSync = this.#walSync;
    const turn = new CommitTurn(db, walSync && { relaxed: leaseWrites(db), sync: () => walSync.sync() });
    this.#deliveries = new SqliteDeliveryStore(db, turn);
    this.#work = new SqliteUnitOfWork(db, { triggers, idempotencyKeys, deliveries: this.#deliveries, tokens }, turn);
    this.triggers = triggers;
    this.idempotencyKeys = idempotencyKeys;
    this.deliveries = this.#deliveries;
    this.tokens = tokens;
    this.usage = new SqliteUsageStore(db);
    this.admin = new SqliteAdminStore(db, triggers, this.#deliveries);
    this.#ping = db.prepare('SELECT 1');
    this.#pingQueue = db.prepare('SELECT 1 FROM triggers LIMIT 1');
  }

  createTrigger(trigger: NewTrigger, idempotency?: IdempotencyCompletion): Promise<void> {
    return this.#work.createTrigger(trigger, idempotency);
  }

  finishTrigger(finish: TriggerFinish): Promise<boolean> {
    return this.#work.finishTrigger(finish);
  }

  claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
    return this.#work.claimDeliveries(request);
  }

  purge(finishedBefore: number, now: number): Promise<PurgeResult> {
    return this.#work.purge(finishedBefore, now);
  }

  queueStats(): Promise<QueueStats> {
    return this.#work.queueStats();
  }

  rateLimiter(_name: string, clock: Clock): RateLimiter {
    return new MemoryRateLimiter(clock);
  }

  async ping(): Promise<void> {
    this.#ping.get();
  }

  async pingQueue(): Promise<void> {
    this.#pingQueue.get();
  }

  connectionPools(): PoolUse[] {
    return [];
  }

  async jobQueues(): Promise<JobQueueCount[]> {
    return [];
  }

  async close(): Promise<void> {
    if (this.#db.open) {
      this.#work.flush();
      this.#deliveries.flush();
    }
    // The commits just flushed are answered once on the disk.
    await this.#walSync?.close();
    await this.#checkpointer.stop();
    if (this.#db.open) this.#db.close();
  }
}
