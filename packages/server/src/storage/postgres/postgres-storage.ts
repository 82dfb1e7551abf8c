import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { AdminStore } from '../admin-store';
import type { DeliveryStore } from '../delivery-store';
import type { DeliveryClaimRequest } from '../delivery-types';
import type { IdempotencyKeyStore } from '../idempotency-key-store';
import type { IdempotencyCompletion } from '../idempotency-types';
import type { JobQueueCount, PoolUse, Storage, WorkListener, WorkWake } from '../storage';
import type { TokenStore } from '../token-store';
import type { TriggerStore } from '../trigger-store';
import type { NewTrigger, TriggerFinish } from '../trigger-types';
import type { ClaimedDelivery, PurgeResult, QueueStats } from '../unit-of-work';
import type { UsageStore } from '../usage-store';
import type { RateLimiter } from '../../limits/rate-limiter';
import type { Clock } from '../../time/clock';
import { PostgresAdminStore } from './postgres-admin-store';
import { PostgresDeliveryStore } from './postgres-delivery-store';
import { PostgresIdempotencyKeyStore } from './postgres-idempotency-key-store';
import { deleteExpired } from './delete-expired';
import { migratePostgres } from './postgres-migrations';
import { createPostgresPool, postgresError, type PostgresPoolOptions } from './postgres-pool';
import { deadDeliveryQueue, deliveryQueue, startQueue, triggerQueue, type QueueOptions } from './postgres-queue';
import { forgetFullBuckets, PostgresRateLimiter } from './postgres-rate-limiter';
import { PostgresTokenStore } from './postgres-token-store';
import { PostgresTriggerStore } from './postgres-trigger-store';
import { PostgresUnitOfWork } from './postgres-unit-of-work';
import { PostgresUsageStore } from './postgres-usage-store';
import { WorkAnnouncer } from './work-announcer';
import { listenForWork, workChannel } from './work-notifications';

/** Where the PostgreSQL storage connects, and how its job engine runs. */
export type PostgresStorageOptions = PostgresPoolOptions & {
  queue?: Partial<Omit<QueueOptions, 'url'>>;
};

/** How pg-boss runs when the configuration says nothing else. */
export const queueDefaults: Omit<QueueOptions, 'url'> = {
  poolSize: 4,
  schema: 'pgboss',
  heartbeatSeconds: 30,
  superviseIntervalSeconds: 5,
  triggerExpireSeconds: 3600,
  deliveryExpireSeconds: 120,
  deleteAfterSeconds: 24 * 3600,
};

/**
 * The PostgreSQL storage adapter: one pool per process, shared by the aggregates, and pg-boss for
 * the jobs of the triggers and callback deliveries (with a small pool of its own). Any number of
 * processes may share the database; every write is one statement or one transaction.
 */
export class PostgresStorage implements Storage {
  readonly tokens: TokenStore;
  readonly usage: UsageStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly triggers: TriggerStore;
  readonly deliveries: DeliveryStore;
  readonly admin: AdminStore;
  readonly clustered = true;
  /** The job engine, for the workers and the tests of what it promises. */
  readonly boss: PgBoss;
  readonly #pool: Pool;
  readonly #url: string;
  readonly #work: PostgresUnitOfWork;
  readonly #schema: string;
  readonly #listeners = new Set<WorkListener>();
  readonly #announcer: WorkAnnouncer;

  private constructor(pool: Pool, boss: PgBoss, url: string, schema: string, onError?: (error: Error) => void) {
    this.#pool = pool;
    this.#url = url;
    this.#schema = schema;
    this.boss = boss;
    const tokens = new PostgresTokenStore(pool);
    const idempotencyKeys = new PostgresIdempotencyKeyStore(pool);
    const announcer = new WorkAnnouncer(pool, workChannel(schema), onError);
    this.#announcer = announcer;
    const triggers = new PostgresTriggerStore(pool, boss, announcer);
    const deliveries = new PostgresDeliveryStore(pool, boss, announcer);
    this.#work = new PostgresUnitOfWork(pool, { triggers, idempotencyKeys, deliveries, tokens });
    this.tokens = tokens;
    this.usage = new PostgresUsageStore(pool);
    this.idempotencyKeys = idempotencyKeys;
    this.triggers = triggers;
    this.deliveries = deliveries;
    this.admin = new PostgresAdminStore(pool, deliveries);
  }

  /**
   * Connects, brings our schema to this server's and starts pg-boss, which brings its own (both
   * under advisory locks: processes starting at once are safe).
   */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const pool = createPostgresPool(options);
    let boss: PgBoss;
    const queue = { ...queueDefaults, onError: options.onIdleError, ...options.queue, url: options.url };
    try {
      await migratePostgres(pool);
      boss = await startQueue(queue);
    } catch (error) {
      await pool.end();
      throw postgresError(options.url, error);
    }
    return new PostgresStorage(pool, boss, options.url, queue.schema, options.onIdleError);
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

  async purge(finishedBefore: number, now: number): Promise<PurgeResult> {
    const result = await this.#work.purge(finishedBefore, now);
    await deleteExpired(this.#pool, forgetFullBuckets, now);
    return result;
  }

  queueStats(): Promise<QueueStats> {
    return this.#work.queueStats();
  }

  rateLimiter(name: string, clock: Clock): RateLimiter {
    return new PostgresRateLimiter(this.#pool, name, clock);
  }

  async ping(): Promise<void> {
    try {
      await this.#pool.query('SELECT 1');
    } catch (error) {
      throw postgresError(this.#url, error);
    }
  }

  async pingQueue(): Promise<void> {
    try {
      // Through pg-boss's own pool and schema: what its workers need.
      await this.boss.getQueue(triggerQueue);
    } catch (error) {
      throw postgresError(this.#url, error);
    }
  }

  connectionPools(): PoolUse[] {
    const pool = this.#pool;
    const storage = { pool: 'storage', total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    const queue = this.boss.getDb().poolCounts?.();
    return queue
      ? [storage, { pool: 'queue', total: queue.total, idle: queue.idle, waiting: queue.waiting }]
      : [storage];
  }

  async jobQueues(): Promise<JobQueueCount[]> {
    // pg-boss keeps these counts on its queue rows, refreshed by its monitor: one small read.
    const queues = await this.boss.getQueues([triggerQueue, deliveryQueue, deadDeliveryQueue]);
    return queues.map(({ name, queuedCount, activeCount, failedCount }) => ({
      queue: name,
      queued: queuedCount,
      active: activeCount,
      failed: failedCount,
    }));
  }

  async listenForWork(wake: WorkWake): Promise<WorkListener> {
    const listener = await listenForWork(this.boss, this.#schema, wake).catch((error: unknown) => {
      throw postgresError(this.#url, error);
    });
    this.#listeners.add(listener);
    return {
      close: async () => {
        this.#listeners.delete(listener);
        await listener.close();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#listeners].map((listener) => listener.close()));
    this.#listeners.clear();
    // No workers of pg-boss's own run here: nothing to wait for but its timers and its pool.
    await this.boss.stop({ graceful: false });
    this.#announcer.close();
    if (!this.#pool.ended) await this.#pool.end();
  }
}
