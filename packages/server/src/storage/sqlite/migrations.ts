import type Database from 'better-sqlite3';

/**
 * The schema, one step per `user_version`. A step is never edited once released: changes are new
 * steps, so every existing database file can be brought forward.
 */
const steps: readonly string[] = [
  `
  -- A trigger and its job are one row: the job is the lease a worker holds while it runs the
  -- trigger (lease_expires_at is 0 while it waits). One insert writes both, and touches three
  -- B-trees where a separate jobs table would touch five.
  CREATE TABLE triggers (
    trigger_uuid       TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL,
    vsn                TEXT NOT NULL,
    trigger_parameters TEXT NOT NULL,
    callback_urls      TEXT NOT NULL,
    request_id         TEXT NOT NULL,
    status             TEXT NOT NULL,
    output             TEXT,
    error              TEXT,
    created_at         INTEGER NOT NULL,
    started_at         INTEGER,
    finished_at        INTEGER,
    attempts           INTEGER NOT NULL DEFAULT 0,
    lease_owner        TEXT,
    lease_expires_at   INTEGER NOT NULL DEFAULT 0
  );
  -- The queue: unfinished triggers only, so it stays as small as the work in hand.
  CREATE INDEX triggers_queue ON triggers (org_id, vsn, lease_expires_at, created_at) WHERE finished_at IS NULL;
  CREATE INDEX triggers_leased ON triggers (lease_owner) WHERE finished_at IS NULL AND lease_owner IS NOT NULL;
  CREATE INDEX triggers_by_finish ON triggers (finished_at) WHERE finished_at IS NOT NULL;

  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    scope      TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX tokens_by_expiry ON tokens (expires_at);

  CREATE TABLE usage (
    org_id       TEXT NOT NULL,
    api_key      TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    count        INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, api_key, operation_id)
  ) WITHOUT ROWID;
  `,
  `
  -- One row per callback URL of a finished trigger, written in the transaction that finishes it.
  -- next_attempt_at is when it is due; while an attempt runs, when that attempt's lease ends.
  CREATE TABLE deliveries (
    delivery_id     INTEGER PRIMARY KEY,
    trigger_uuid    TEXT NOT NULL,
    org_id          TEXT NOT NULL,
    webhook_id      TEXT NOT NULL,
    url             TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
  );
  -- The delivery queue: pending deliveries only, by when they are due.
  CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX deliveries_by_trigger ON deliveries (trigger_uuid);
  CREATE INDEX deliveries_leased ON deliveries (lease_owner) WHERE status = 'pending' AND lease_owner IS NOT NULL;

  CREATE TABLE delivery_attempts (
    delivery_id INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    retry_at    INTEGER,
    PRIMARY KEY (delivery_id, attempt)
  ) WITHOUT ROWID;

  -- An Idempotency-Key is held by one request (owner, until lease_expires_at) until that request
  -- writes its trigger, which stores the answer to replay (response) in the same transaction.
  CREATE TABLE idempotency_keys (
    org_id           TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    owner            TEXT,
    lease_expires_at INTEGER NOT NULL DEFAULT 0,
    response         TEXT,
    expires_at       INTEGER NOT NULL,
    PRIMARY KEY (org_id, idempotency_key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
  `,
  `
  -- The claim's order, served by the index: a service's queued triggers oldest first, and its
  -- running ones (for their leases), each a range read in order, so a claim costs the same at any
  -- queue length where the former index made it sort the whole queue.
  DROP INDEX triggers_queue;
  CREATE INDEX triggers_claim ON triggers (org_id, vsn, status, created_at, trigger_uuid) WHERE finished_at IS NULL;
  `,
  `
  -- The W3C trace context of the execute request, so the run and the callbacks join its trace.
  ALTER TABLE triggers ADD COLUMN traceparent TEXT;
  ALTER TABLE triggers ADD COLUMN tracestate TEXT;
  `,
];

/** Brings the database to the newest schema; several processes may start at once. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > steps.length) {
      throw new Error(
        `The database schema (version ${current}) is newer than this server knows (${steps.length}); upgrade the server.`,
      );
    }
    for (let version = current; version < steps.length; version++) {
      db.exec(steps[version]!);
    }
    db.pragma(`user_version = ${steps.length}`);
  }).immediate();
}
