import type { Pool } from 'pg';
import type { IdempotencyKeyStore } from '../idempotency-key-store';
import type { Storage } from '../storage';
import type { TokenStore } from '../token-store';
import type { UsageStore } from '../usage-store';
import { PostgresIdempotencyKeyStore } from './postgres-idempotency-key-store';
import { migratePostgres } from './postgres-migrations';
import { createPostgresPool, postgresError, type PostgresPoolOptions } from './postgres-pool';
import { PostgresTokenStore } from './postgres-token-store';
import { PostgresUsageStore } from './postgres-usage-store';

/**
 * The aggregates the PostgreSQL storage has so far: the plain records. Triggers, callback
 * deliveries and the unit of work come with pg-boss (docs/postgresql.md).
 */
export type PostgresRecords = Pick<Storage, 'tokens' | 'usage' | 'idempotencyKeys' | 'ping' | 'close'>;

/**
 * The PostgreSQL storage adapter: one pool per process, shared by the aggregates. Any number of
 * processes may share the database; every write is one statement or one transaction.
 */
export class PostgresStorage implements PostgresRecords {
  readonly tokens: TokenStore;
  readonly usage: UsageStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly #pool: Pool;
  readonly #url: string;

  private constructor(pool: Pool, url: string) {
    this.#pool = pool;
    this.#url = url;
    this.tokens = new PostgresTokenStore(pool);
    this.usage = new PostgresUsageStore(pool);
    this.idempotencyKeys = new PostgresIdempotencyKeyStore(pool);
  }

  /** Connects and brings the schema to this server's (processes starting at once are safe). */
  static async open(options: PostgresPoolOptions): Promise<PostgresStorage> {
    const pool = createPostgresPool(options);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw postgresError(options.url, error);
    }
    return new PostgresStorage(pool, options.url);
  }

  async ping(): Promise<void> {
    try {
      await this.#pool.query('SELECT 1');
    } catch (error) {
      throw postgresError(this.#url, error);
    }
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }
}
