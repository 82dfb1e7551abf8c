import type { Pool } from 'pg';
import { inTransaction } from './postgres-transaction';

/**
 * The schema of our own tables, one step per version. A step is never edited once released:
 * changes are new steps. Times are milliseconds since the Unix epoch, as in the SQLite store.
 * (pg-boss keeps its jobs in a schema of its own, which it migrates itself.)
 */
const steps: readonly string[] = [
  `
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    scope      TEXT NOT NULL,
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX tokens_by_expiry ON tokens (expires_at);

  CREATE TABLE usage (
    org_id       TEXT NOT NULL,
    api_key      TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    count        BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, api_key, operation_id)
  );

  -- An Idempotency-Key is held by one request (owner, until lease_expires_at) until that request
  -- writes its trigger, which stores the answer to replay (response) in the same transaction.
  -- json, not jsonb: the answer is replayed as it was written, its keys in their order.
  CREATE TABLE idempotency_keys (
    org_id           TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    owner            TEXT,
    lease_expires_at BIGINT NOT NULL DEFAULT 0,
    response         JSON,
    expires_at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, idempotency_key)
  );
  CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
  `,
];

/** The newest schema version this server knows. */
export const postgresSchemaVersion = steps.length;

// One key for every process migrating this schema: held to the end of the migrating transaction.
const migrationLock = 0x6175_7466_6163; // "autfac"

/** What a migration found and did. */
export interface MigrationResult {
  from: number;
  to: number;
}

/**
 * Brings our tables to the newest schema, in one transaction under an advisory lock: PostgreSQL's
 * DDL is transactional, so a migration is all or nothing, and processes starting at once apply
 * each step once (the others wait for the lock, then find nothing left to do).
 */
export function migratePostgres(pool: Pool): Promise<MigrationResult> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS autofacilitate_migrations (
         version    INTEGER PRIMARY KEY,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM autofacilitate_migrations',
    );
    const from = rows[0]!.version;
    if (from > steps.length) {
      throw new Error(
        `The database schema (version ${from}) is newer than this server knows (${steps.length}); upgrade the server.`,
      );
    }
    for (let version = from; version < steps.length; version++) {
      await client.query(steps[version]!);
      await client.query('INSERT INTO autofacilitate_migrations (version) VALUES ($1)', [version + 1]);
    }
    return { from, to: steps.length };
  });
}
