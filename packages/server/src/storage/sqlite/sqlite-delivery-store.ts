import type Database from 'better-sqlite3';
import type { DeliveryStore } from '../delivery-store';
import type {
  CallbackToQueue,
  DeliveryAttempt,
  DeliveryAttemptRecord,
  DeliveryClaimRequest,
  DeliveryHistory,
  DeliveryRecord,
  DeliveryState,
} from '../delivery-types';
import { GroupCommit, type CommitTurn } from './group-commit';

interface DeliveryRow {
  delivery_id: number;
  trigger_uuid: string;
  org_id: string;
  webhook_id: string;
  url: string;
  status: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  finished_at: number | null;
}

interface AttemptRow {
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  retry_at: number | null;
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

function prepare(db: Database.Database) {
  const inList = 'IN (SELECT value FROM json_each(?))';
  return {
    // Ordered by the URLs' place in the list, so delivery ids follow `callbackUrls`.
    queue: db.prepare<[string, string, string, number, number, string]>(
      `INSERT INTO deliveries (trigger_uuid, org_id, webhook_id, url, status, next_attempt_at, created_at)
       SELECT ?, ?, ?, j.value, 'pending', ?, ? FROM json_each(?) AS j ORDER BY j.key`,
    ),
    // `? + 0`: a bare LIMIT parameter makes SQLite plan the statement again at each binding (trigger-claim.ts).
    findDue: db
      .prepare<[number, number], number>(
        "SELECT delivery_id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, delivery_id LIMIT ? + 0",
      )
      .pluck(),
    lease: db.prepare<[string, number, number], DeliveryRow>(
      'UPDATE deliveries SET lease_owner = ?, next_attempt_at = ?, attempts = attempts + 1 WHERE delivery_id = ? RETURNING *',
    ),
    abandon: db.prepare<[number, number]>(
      "UPDATE deliveries SET status = 'failed', finished_at = ?, lease_owner = NULL WHERE delivery_id = ?",
    ),
    endAttempt: db.prepare(
      `UPDATE deliveries SET status = @status, next_attempt_at = @nextAttemptAt, lease_owner = NULL, finished_at = @finishedAt
       WHERE delivery_id = @deliveryId AND lease_owner = @workerId AND status = 'pending'`,
    ),
    insertAttempt: db.prepare(
      `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, retry_at)
       VALUES (@deliveryId, @attempt, @startedAt, @durationMs, @statusCode, @error, @retryAt)`,
    ),
    release: db.prepare<[number, string]>(
      `UPDATE deliveries SET lease_owner = NULL, next_attempt_at = ?, attempts = max(attempts - 1, 0)
       WHERE lease_owner = ? AND status = 'pending'`,
    ),
    find: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE trigger_uuid = ? ORDER BY delivery_id'),
    findAttempts: db.prepare<[number], AttemptRow>(
      'SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt',
    ),
    countPending: db.prepare<[], number>("SELECT count(*) FROM deliveries WHERE status = 'pending'").pluck(),
    removeAttempts: db.prepare<[string]>(
      `DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE trigger_uuid ${inList})`,
    ),
    remove: db.prepare<[string]>(`DELETE FROM deliveries WHERE trigger_uuid ${inList}`),
  };
}

/**
 * The callback deliveries of the SQLite storage. Attempts recorded in one turn of the event loop
 * share one commit; the synchronous methods are for the unit of work's transactions.
 */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #statements: ReturnType<typeof prepare>;
  readonly #attempts: GroupCommit<DeliveryAttemptRecord, boolean>;

  /** @param turn - the connection's commit turn, which the attempts' group commit joins. */
  constructor(db: Database.Database, turn: CommitTurn) {
    const s = prepare(db);
    this.#statements = s;
    this.#attempts = new GroupCommit(
      db,
      ({ deliveryId, workerId, attempt, status }: DeliveryAttemptRecord) => {
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
      },
      turn,
    );
  }

  /** Queues one pending delivery per URL, due at once. */
  queue({ triggerUUID, orgId, webhookId, urls, at }: CallbackToQueue): void {
    if (urls.length > 0) this.#statements.queue.run(triggerUUID, orgId, webhookId, at, at, JSON.stringify(urls));
  }

  /** Leases the deliveries due at `now`, earliest first, counting an attempt for each. */
  leaseDue({ workerId, now, leaseMs, limit }: DeliveryClaimRequest): DeliveryRecord[] {
    return this.#statements.findDue
      .all(now, limit)
      .map((deliveryId) => toDelivery(this.#statements.lease.get(workerId, now + leaseMs, deliveryId)!));
  }

  /** Ends a delivery as failed, with no attempt recorded. */
  abandon(deliveryId: number, now: number): void {
    this.#statements.abandon.run(now, deliveryId);
  }

  /** Removes the deliveries of these triggers, with their attempts. */
  removeForTriggers(triggerUUIDs: string[]): void {
    const list = JSON.stringify(triggerUUIDs);
    this.#statements.removeAttempts.run(list);
    this.#statements.remove.run(list);
  }

  /** Commits the attempts waiting for their group commit now. */
  flush(): void {
    this.#attempts.flush();
  }

  recordDeliveryAttempt(record: DeliveryAttemptRecord): Promise<boolean> {
    return this.#attempts.add(record);
  }

  async releaseDeliveries(workerId: string, now: number): Promise<number> {
    return this.#statements.release.run(now, workerId).changes;
  }

  async findDeliveries(triggerUUID: string): Promise<DeliveryHistory[]> {
    return this.#statements.find.all(triggerUUID).map((row) => ({
      ...toDelivery(row),
      history: this.#statements.findAttempts.all(row.delivery_id).map(toAttempt),
    }));
  }

  async countPending(): Promise<number> {
    return this.#statements.countPending.get() ?? 0;
  }
}
