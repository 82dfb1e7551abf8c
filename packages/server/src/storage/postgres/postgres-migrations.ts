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
  `
  -- A trigger's record; its job (the lease a worker holds while it runs it) is pg-boss's, on the
  -- queue "trigger" under the trigger's UUID, written in the same transaction. lease_owner and
  -- job_retry name the claim that runs it now: the worker, and pg-boss's retryCount of the fetch,
  -- which fences a finish to that attempt. json, not jsonb: values are given back as written.
  CREATE TABLE triggers (
    trigger_uuid       TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL,
    vsn                TEXT NOT NULL,
    trigger_parameters JSON NOT NULL,
    callback_urls      JSON NOT NULL,
    request_id         TEXT NOT NULL,
    status             TEXT NOT NULL,
    output             JSON,
    error              JSON,
    created_at         BIGINT NOT NULL,
    started_at         BIGINT,
    finished_at        BIGINT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    lease_owner        TEXT,
    job_retry          INTEGER,
    -- The W3C trace context of the execute request, so the run and the callbacks join its trace.
    traceparent        TEXT,
    tracestate         TEXT
  );
  CREATE INDEX triggers_unfinished ON triggers (org_id, status) WHERE finished_at IS NULL;
  CREATE INDEX triggers_leased ON triggers (lease_owner) WHERE finished_at IS NULL AND lease_owner IS NOT NULL;
  CREATE INDEX triggers_by_finish ON triggers (finished_at) WHERE finished_at IS NOT NULL;

  -- One row per callback URL of a finished trigger, written in the transaction that finishes it,
  -- with the pg-boss job (queue "delivery") of its first attempt. job_id names the delivery's one
  -- current job, waiting or claimed; job_retry, set while it is claimed, the attempt under way.
  CREATE TABLE deliveries (
    delivery_id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger_uuid    TEXT NOT NULL,
    org_id          TEXT NOT NULL,
    webhook_id      TEXT NOT NULL,
    url             TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner     TEXT,
    job_id          UUID,
    job_retry       INTEGER,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
  );
  CREATE INDEX deliveries_by_trigger ON deliveries (trigger_uuid);
  CREATE INDEX deliveries_pending ON deliveries (delivery_id) WHERE status = 'pending';
  CREATE INDEX deliveries_leased ON deliveries (lease_owner) WHERE status = 'pending' AND lease_owner IS NOT NULL;

  CREATE TABLE delivery_attempts (
    delivery_id BIGINT NOT NULL,
    attempt     INTEGER NOT NULL,
    started_at  BIGINT NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    retry_at    BIGINT,
    PRIMARY KEY (delivery_id, attempt)
  );
  `,
  `
  -- The rate limits every process shares: one token bucket per limit and key (the execute rate of a
  -- client, the failed authentications of a client id or an address), kept as GCRA's theoretical
  -- arrival time, in ms of the servers' clock. A row whose tat has passed is a full bucket. No index
  -- on tat: each request updates it, and the purge's scan of a row per active key is cheap.
  CREATE TABLE rate_limits (
    limit_key TEXT PRIMARY KEY,
    tat       DOUBLE PRECISION NOT NULL
  );
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
