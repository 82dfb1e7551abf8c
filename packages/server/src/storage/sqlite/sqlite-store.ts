import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  IdempotencyKeyLost,
  type ClaimedDelivery,
  type ClaimRequest,
  type DeliveryAttempt,
  type DeliveryAttemptRecord,
  type DeliveryClaimRequest,
  type DeliveryHistory,
  type DeliveryRecord,
  type DeliveryState,
  type IdempotencyCompletion,
  type IdempotencyReservation,
  type IdempotencyState,
  type NewTrigger,
  type PurgeResult,
  type QueueStats,
  type Store,
  type TokenRecord,
  type TriggerError,
  type TriggerFinish,
  type TriggerRecord,
  type TriggerState,
  type UsageCount,
} from '../store';
import { Checkpointer } from './checkpointer';
import { GroupCommit } from './group-commit';
import { migrate } from './migrations';

/** Options of the embedded SQLite store. */
export interface SqliteStoreOptions {
  /** The database file; its folder is created when missing. */
  file: string;
  /**
   * `NORMAL` (the default) keeps every committed trigger through a crash of the process;
   * `FULL` also through a power cut, at the cost of one fsync per write.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another process's transaction before failing. */
  busyTimeoutMs?: number;
}

interface TriggerRow {
  trigger_uuid: string;
  org_id: string;
  vsn: string;
  trigger_parameters: string;
  callback_urls: string;
  request_id: string;
  status: TriggerState;
  output: string | null;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempts: number;
}

interface TokenRow {
  token_hash: string;
  client_id: string;
  org_id: string;
  scope: string;
  issued_at: number;
  expires_at: number;
}

interface DeliveryRow {
  delivery_id: number;
  trigger_uuid: string;
  org_id: string;
  webhook_id: string;
  url: string;
  status: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  created_at: number;
  finished_at: number | null;
}

interface AttemptRow {
  delivery_id: number;
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  retry_at: number | null;
}

interface IdempotencyRow {
  request_hash: string;
  lease_expires_at: number;
  response: string | null;
  expires_at: number;
}

interface NewTriggerWrite {
  trigger: NewTrigger;
  idempotency: IdempotencyCompletion | undefined;
}

interface UsageRow {
  org_id: string;
  api_key: string;
  operation_id: string;
  count: number;
  last_used_at: number;
}

// Deletes run in batches so that a large purge never holds the write lock for long.
const purgeBatch = 500;
const checkpointIntervalMs = 500;
// SQLite's own default, used again should the checkpointer stop.
const autoCheckpointPages = 1000;

function toTrigger(row: TriggerRow): TriggerRecord {
  const trigger: TriggerRecord = {
    triggerUUID: row.trigger_uuid,
    orgId: row.org_id,
    vsn: row.vsn,
    triggerParameters: JSON.parse(row.trigger_parameters) as Record<string, string>,
    callbackUrls: JSON.parse(row.callback_urls) as string[],
    requestId: row.request_id,
    status: row.status,
    createdAt: row.created_at,
    attempts: row.attempts,
  };
  if (row.output !== null) trigger.output = JSON.parse(row.output);
  if (row.error !== null) trigger.error = JSON.parse(row.error) as TriggerError;
  if (row.started_at !== null) trigger.startedAt = row.started_at;
  if (row.finished_at !== null) trigger.finishedAt = row.finished_at;
  return trigger;
}

function toDelivery(row: DeliveryRow): DeliveryRecord {
  const delivery: DeliveryRecord = {
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    triggerUUID: row.trigger_uuid,
    orgId: row.org_id,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
  if (row.status === 'pending') delivery.nextAttemptAt = row.next_attempt_at;
  if (row.finished_at !== null) delivery.finishedAt = row.finished_at;
  return delivery;
}

function toAttempt(row: AttemptRow): DeliveryAttempt {
  const attempt: DeliveryAttempt = { attempt: row.attempt, startedAt: row.started_at, durationMs: row.duration_ms };
  if (row.status_code !== null) attempt.statusCode = row.status_code;
  if (row.error !== null) attempt.error = row.error;
  if (row.retry_at !== null) attempt.retryAt = row.retry_at;
  return attempt;
}

function toToken(row: TokenRow): TokenRecord {
  return {
    tokenHash: row.token_hash,
    clientId: row.client_id,
    orgId: row.org_id,
    scope: row.scope,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}

/**
 * The embedded storage adapter: one SQLite file in WAL mode. Several processes may share the file:
 * every write is an immediate transaction, so claims never interleave. A trigger's job (its
 * lease) lives on the trigger's own row, so one insert writes both; new triggers, finished runs
 * and delivery attempts asked for in one turn of the event loop share one commit.
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements;
  readonly #claim;
  readonly #addUsage;
  readonly #claimDeliveries;
  readonly #reserveIdempotencyKey;
  readonly #purgeTriggers;
  readonly #newTriggers: GroupCommit<NewTriggerWrite, void>;
  readonly #finishes: GroupCommit<TriggerFinish, boolean>;
  readonly #attempts: GroupCommit<DeliveryAttemptRecord, boolean>;
  readonly #checkpointer: Checkpointer;

  /** Opens (and creates or migrates) the database file. */
  constructor(options: SqliteStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    this.#db = db;
    try {
      // The busy timeout first: another process may be writing or migrating right now.
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      migrate(db);
      db.pragma('wal_autocheckpoint = 0');
    } catch (error) {
      db.close();
      throw error;
    }
    this.#checkpointer = new Checkpointer(options.file, checkpointIntervalMs, options.busyTimeoutMs ?? 5000, () => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
    });

    const s = {
      saveToken: db.prepare(
        `INSERT INTO tokens (token_hash, client_id, org_id, scope, issued_at, expires_at)
         VALUES (@tokenHash, @clientId, @orgId, @scope, @issuedAt, @expiresAt)`,
      ),
      findToken: db.prepare<[string, number], TokenRow>(
        'SELECT * FROM tokens WHERE token_hash = ? AND expires_at > ?',
      ),
      insertTrigger: db.prepare<[string, string, string, string, string, string, number]>(
        `INSERT INTO triggers (trigger_uuid, org_id, vsn, trigger_parameters, callback_urls, request_id, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
      ),
      findTrigger: db.prepare<[string, string], TriggerRow>(
        'SELECT * FROM triggers WHERE trigger_uuid = ? AND org_id = ?',
      ),
      countActive: db.prepare<[string, string, number], number>(
        `SELECT count(*) FROM triggers
         WHERE org_id = ? AND vsn = ? AND finished_at IS NULL AND lease_expires_at > ?`,
      ).pluck(),
      findAvailable: db.prepare<[string, string, number, number], string>(
        `SELECT trigger_uuid FROM triggers
         WHERE org_id = ? AND vsn = ? AND finished_at IS NULL AND lease_expires_at <= ?
         ORDER BY created_at, trigger_uuid LIMIT ?`,
      ).pluck(),
      leaseTrigger: db.prepare<[string, number, number, string], TriggerRow>(
        `UPDATE triggers SET lease_owner = ?, lease_expires_at = ?, status = 'running', started_at = ?, attempts = attempts + 1
         WHERE trigger_uuid = ? RETURNING *`,
      ),
      renewLease: db.prepare<[number, string, string]>(
        `UPDATE triggers SET lease_expires_at = ?
         WHERE trigger_uuid = ? AND lease_owner = ? AND finished_at IS NULL`,
      ),
      finishTrigger: db.prepare(
        `UPDATE triggers SET status = @status, output = @output, error = @error, finished_at = @finishedAt,
           lease_owner = NULL, lease_expires_at = 0
         WHERE trigger_uuid = @triggerUUID AND lease_owner = @workerId AND finished_at IS NULL`,
      ),
      releaseOwned: db.prepare<[string]>(
        `UPDATE triggers SET status = 'queued', attempts = max(attempts - 1, 0), lease_owner = NULL, lease_expires_at = 0
         WHERE lease_owner = ? AND finished_at IS NULL`,
      ),
      addUsage: db.prepare(
        `INSERT INTO usage (org_id, api_key, operation_id, count, last_used_at)
         VALUES (@orgId, @apiKey, @operationId, @count, @lastUsedAt)
         ON CONFLICT (org_id, api_key, operation_id) DO UPDATE SET
           count = count + excluded.count,
           last_used_at = max(last_used_at, excluded.last_used_at)`,
      ),
      listUsage: db.prepare<[], UsageRow>('SELECT * FROM usage ORDER BY org_id, api_key, operation_id'),
      // A trigger stays while its callback is pending: the deliverer reads it to make the body.
      findPurgeable: db.prepare<[number, number], string>(
        `SELECT trigger_uuid FROM triggers AS t
         WHERE finished_at IS NOT NULL AND finished_at < ?
           AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.trigger_uuid = t.trigger_uuid AND d.status = 'pending')
         LIMIT ?`,
      ).pluck(),
      purgeAttempts: db.prepare<[string]>(
        `DELETE FROM delivery_attempts WHERE delivery_id IN
           (SELECT delivery_id FROM deliveries WHERE trigger_uuid IN (SELECT value FROM json_each(?)))`,
      ),
      purgeDeliveries: db.prepare<[string]>('DELETE FROM deliveries WHERE trigger_uuid IN (SELECT value FROM json_each(?))'),
      purgeTriggers: db.prepare<[string]>('DELETE FROM triggers WHERE trigger_uuid IN (SELECT value FROM json_each(?))'),
      purgeTokens: db.prepare<[number, number]>(
        'DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tokens WHERE expires_at <= ? LIMIT ?)',
      ),
      purgeIdempotencyKeys: db.prepare<[number, number]>(
        `DELETE FROM idempotency_keys WHERE (org_id, idempotency_key) IN
           (SELECT org_id, idempotency_key FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`,
      ),
      countUnfinished: db.prepare<[string], number>('SELECT count(*) FROM triggers WHERE org_id = ? AND finished_at IS NULL').pluck(),
      countByState: db.prepare<[], { org_id: string; status: 'queued' | 'running'; count: number }>(
        'SELECT org_id, status, count(*) AS count FROM triggers WHERE finished_at IS NULL GROUP BY org_id, status ORDER BY org_id, status',
      ),
      countPendingDeliveries: db.prepare<[], number>("SELECT count(*) FROM deliveries WHERE status = 'pending'").pluck(),
      findIdempotencyKey: db.prepare<[string, string], IdempotencyRow>(
        'SELECT request_hash, lease_expires_at, response, expires_at FROM idempotency_keys WHERE org_id = ? AND idempotency_key = ?',
      ),
      holdIdempotencyKey: db.prepare(
        `INSERT OR REPLACE INTO idempotency_keys (org_id, idempotency_key, request_hash, owner, lease_expires_at, response, expires_at)
         VALUES (@orgId, @key, @requestHash, @owner, @leaseExpiresAt, NULL, @expiresAt)`,
      ),
      completeIdempotencyKey: db.prepare<[string, string, string, string]>(
        `UPDATE idempotency_keys SET owner = NULL, lease_expires_at = 0, response = ?
         WHERE org_id = ? AND idempotency_key = ? AND owner = ? AND response IS NULL`,
      ),
      releaseIdempotencyKey: db.prepare<[string, string, string]>(
        'DELETE FROM idempotency_keys WHERE org_id = ? AND idempotency_key = ? AND owner = ? AND response IS NULL',
      ),
      queueDeliveries: db.prepare<[string, number, number, string]>(
        `INSERT INTO deliveries (trigger_uuid, org_id, webhook_id, url, status, next_attempt_at, created_at)
         SELECT t.trigger_uuid, t.org_id, ?, j.value, 'pending', ?, ?
         FROM triggers AS t, json_each(t.callback_urls) AS j
         WHERE t.trigger_uuid = ? ORDER BY j.key`,
      ),
      findDueDeliveries: db.prepare<[number, number], number>(
        "SELECT delivery_id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, delivery_id LIMIT ?",
      ).pluck(),
      leaseDelivery: db.prepare<[string, number, number], DeliveryRow>(
        'UPDATE deliveries SET lease_owner = ?, next_attempt_at = ?, attempts = attempts + 1 WHERE delivery_id = ? RETURNING *',
      ),
      abandonDelivery: db.prepare<[number, number]>("UPDATE deliveries SET status = 'failed', finished_at = ?, lease_owner = NULL WHERE delivery_id = ?"),
      findTriggerByUUID: db.prepare<[string], TriggerRow>('SELECT * FROM triggers WHERE trigger_uuid = ?'),
      endAttempt: db.prepare(
        `UPDATE deliveries SET status = @status, next_attempt_at = @nextAttemptAt, lease_owner = NULL, finished_at = @finishedAt
         WHERE delivery_id = @deliveryId AND lease_owner = @workerId AND status = 'pending'`,
      ),
      insertAttempt: db.prepare(
        `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, retry_at)
         VALUES (@deliveryId, @attempt, @startedAt, @durationMs, @statusCode, @error, @retryAt)`,
      ),
      releaseDeliveries: db.prepare<[number, string]>(
        `UPDATE deliveries SET lease_owner = NULL, next_attempt_at = ?, attempts = max(attempts - 1, 0)
         WHERE lease_owner = ? AND status = 'pending'`,
      ),
      findDeliveries: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE trigger_uuid = ? ORDER BY delivery_id'),
      findAttempts: db.prepare<[number], AttemptRow>('SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt'),
      ping: db.prepare('SELECT 1'),
    };
    this.#statements = s;

    this.#claim = db.transaction((request: ClaimRequest): TriggerRecord[] => {
      const claimed: TriggerRecord[] = [];
      const leaseExpiresAt = request.now + request.leaseMs;
      for (const service of request.services) {
        const active = s.countActive.get(service.orgId, service.vsn, request.now) ?? 0;
        const free = service.concurrency - active;
        if (free <= 0) continue;
        for (const triggerUUID of s.findAvailable.all(service.orgId, service.vsn, request.now, free)) {
          claimed.push(toTrigger(s.leaseTrigger.get(request.workerId, leaseExpiresAt, request.now, triggerUUID)!));
        }
      }
      return claimed;
    });

    this.#newTriggers = new GroupCommit(db, ({ trigger, idempotency }: NewTriggerWrite) => {
      s.insertTrigger.run(
        trigger.triggerUUID,
        trigger.orgId,
        trigger.vsn,
        JSON.stringify(trigger.triggerParameters),
        JSON.stringify(trigger.callbackUrls),
        trigger.requestId,
        trigger.createdAt,
      );
      if (idempotency) {
        const completed = s.completeIdempotencyKey.run(JSON.stringify(idempotency.response), trigger.orgId, idempotency.key, idempotency.owner);
        // Throwing undoes the insert above: a trigger is never written under a key it does not hold.
        if (completed.changes !== 1) throw new IdempotencyKeyLost(`The Idempotency-Key ${idempotency.key} is no longer held by this request`);
      }
    });

    this.#finishes = new GroupCommit(db, (finish: TriggerFinish) => {
      const finished =
        s.finishTrigger.run({
          triggerUUID: finish.triggerUUID,
          workerId: finish.workerId,
          status: finish.status,
          output: finish.output === undefined || finish.output === null ? null : JSON.stringify(finish.output),
          error: finish.error === undefined ? null : JSON.stringify(finish.error),
          finishedAt: finish.finishedAt,
        }).changes === 1;
      if (finished) s.queueDeliveries.run(finish.webhookId, finish.finishedAt, finish.finishedAt, finish.triggerUUID);
      return finished;
    });

    this.#attempts = new GroupCommit(db, ({ deliveryId, workerId, attempt, status }: DeliveryAttemptRecord) => {
      const ended = s.endAttempt.run({
        deliveryId,
        workerId,
        status,
        nextAttemptAt: status === 'pending' ? (attempt.retryAt ?? attempt.startedAt + attempt.durationMs) : 0,
        finishedAt: status === 'pending' ? null : attempt.startedAt + attempt.durationMs,
      });
      if (ended.changes !== 1) return false;
      s.insertAttempt.run({
        deliveryId,
        attempt: attempt.attempt,
        startedAt: attempt.startedAt,
        durationMs: attempt.durationMs,
        statusCode: attempt.statusCode ?? null,
        error: attempt.error ?? null,
        retryAt: attempt.retryAt ?? null,
      });
      return true;
    });

    this.#claimDeliveries = db.transaction((request: DeliveryClaimRequest): ClaimedDelivery[] => {
      const claimed: ClaimedDelivery[] = [];
      for (const deliveryId of s.findDueDeliveries.all(request.now, request.limit)) {
        const row = s.leaseDelivery.get(request.workerId, request.now + request.leaseMs, deliveryId)!;
        const trigger = s.findTriggerByUUID.get(row.trigger_uuid);
        if (trigger) {
          claimed.push({ delivery: toDelivery(row), trigger: toTrigger(trigger) });
        } else {
          // Purges keep the triggers of pending deliveries; a trigger removed by hand ends them.
          s.abandonDelivery.run(request.now, deliveryId);
        }
      }
      return claimed;
    });

    this.#reserveIdempotencyKey = db.transaction((reservation: IdempotencyReservation): IdempotencyState => {
      const { orgId, key, requestHash, owner, now, leaseMs, retentionMs } = reservation;
      const row = s.findIdempotencyKey.get(orgId, key);
      if (row && row.expires_at > now) {
        if (row.response !== null) return { state: 'completed', requestHash: row.request_hash, response: JSON.parse(row.response) };
        if (row.lease_expires_at > now) return { state: 'in_flight', requestHash: row.request_hash };
        // Its request died before writing anything: this one takes the key over.
      }
      s.holdIdempotencyKey.run({ orgId, key, requestHash, owner, leaseExpiresAt: now + leaseMs, expiresAt: now + retentionMs });
      return { state: 'reserved' };
    });

    this.#purgeTriggers = db.transaction((triggerUUIDs: string[]) => {
      const list = JSON.stringify(triggerUUIDs);
      s.purgeAttempts.run(list);
      s.purgeDeliveries.run(list);
      return s.purgeTriggers.run(list).changes;
    });

    this.#addUsage = db.transaction((counts: UsageCount[]) => {
      for (const count of counts) s.addUsage.run(count);
    });
  }

  async saveToken(token: TokenRecord): Promise<void> {
    this.#statements.saveToken.run(token);
  }

  async findToken(tokenHash: string, now: number): Promise<TokenRecord | undefined> {
    const row = this.#statements.findToken.get(tokenHash, now);
    return row && toToken(row);
  }

  createTrigger(trigger: NewTrigger, idempotency?: IdempotencyCompletion): Promise<void> {
    return this.#newTriggers.add({ trigger, idempotency });
  }

  async findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined> {
    const row = this.#statements.findTrigger.get(triggerUUID, orgId);
    return row && toTrigger(row);
  }

  async claimTriggers(request: ClaimRequest): Promise<TriggerRecord[]> {
    return this.#claim.immediate(request);
  }

  async renewLease(triggerUUID: string, workerId: string, leaseExpiresAt: number): Promise<boolean> {
    return this.#statements.renewLease.run(leaseExpiresAt, triggerUUID, workerId).changes === 1;
  }

  finishTrigger(finish: TriggerFinish): Promise<boolean> {
    return this.#finishes.add(finish);
  }

  async releaseTriggers(workerId: string): Promise<number> {
    return this.#statements.releaseOwned.run(workerId).changes;
  }

  async countUnfinishedTriggers(orgId: string): Promise<number> {
    return this.#statements.countUnfinished.get(orgId) ?? 0;
  }

  async queueStats(): Promise<QueueStats> {
    return {
      triggers: this.#statements.countByState.all().map((row) => ({ orgId: row.org_id, status: row.status, count: row.count })),
      pendingDeliveries: this.#statements.countPendingDeliveries.get() ?? 0,
    };
  }

  async reserveIdempotencyKey(reservation: IdempotencyReservation): Promise<IdempotencyState> {
    return this.#reserveIdempotencyKey.immediate(reservation);
  }

  async releaseIdempotencyKey(orgId: string, key: string, owner: string): Promise<void> {
    this.#statements.releaseIdempotencyKey.run(orgId, key, owner);
  }

  async claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
    return this.#claimDeliveries.immediate(request);
  }

  recordDeliveryAttempt(record: DeliveryAttemptRecord): Promise<boolean> {
    return this.#attempts.add(record);
  }

  async releaseDeliveries(workerId: string, now: number): Promise<number> {
    return this.#statements.releaseDeliveries.run(now, workerId).changes;
  }

  async findDeliveries(triggerUUID: string): Promise<DeliveryHistory[]> {
    return this.#statements.findDeliveries
      .all(triggerUUID)
      .map((row) => ({ ...toDelivery(row), history: this.#statements.findAttempts.all(row.delivery_id).map(toAttempt) }));
  }

  async addUsage(counts: UsageCount[]): Promise<void> {
    this.#addUsage.immediate(counts);
  }

  async listUsage(): Promise<UsageCount[]> {
    return this.#statements.listUsage.all().map((row) => ({
      orgId: row.org_id,
      apiKey: row.api_key,
      operationId: row.operation_id,
      count: row.count,
      lastUsedAt: row.last_used_at,
    }));
  }

  async purge(finishedBefore: number, now: number): Promise<PurgeResult> {
    const removeAll = (statement: Database.Statement<[number, number]>, before: number): number => {
      let removed = 0;
      for (;;) {
        const { changes } = statement.run(before, purgeBatch);
        removed += changes;
        if (changes < purgeBatch) return removed;
      }
    };
    let triggers = 0;
    for (;;) {
      const batch = this.#statements.findPurgeable.all(finishedBefore, purgeBatch);
      if (batch.length > 0) triggers += this.#purgeTriggers.immediate(batch);
      if (batch.length < purgeBatch) break;
    }
    return {
      triggers,
      tokens: removeAll(this.#statements.purgeTokens, now),
      idempotencyKeys: removeAll(this.#statements.purgeIdempotencyKeys, now),
    };
  }

  async ping(): Promise<void> {
    this.#statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.#db.open) {
      this.#newTriggers.flush();
      this.#finishes.flush();
      this.#attempts.flush();
    }
    await this.#checkpointer.stop();
    if (this.#db.open) this.#db.close();
  }
}
