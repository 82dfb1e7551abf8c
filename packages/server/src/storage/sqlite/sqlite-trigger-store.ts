import type Database from 'better-sqlite3';
import type { Settle, Waiting } from './group-commit';
import { leaseWrites } from './lease-writes';
import { claimSql, oldestFirst, type ClaimStep } from './trigger-claim';
import type { TriggerStore } from '../trigger-store';
import type {
  ClaimRequest,
  NewTrigger,
  TriggerError,
  TriggerFinish,
  TriggerRecord,
  TriggerResultRecord,
  TriggerState,
  UnfinishedCount,
} from '../trigger-types';

export interface TriggerRow {
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
  traceparent: string | null;
  tracestate: string | null;
}

/** What a claim's transaction did: the triggers leased, and how to settle the finishes written with them. */
interface Claimed {
  claimed: TriggerRecord[];
  settle: Settle | undefined;
}

/** A row of `resultColumns`. */
type ResultRow = Pick<
  TriggerRow,
  'trigger_uuid' | 'vsn' | 'status' | 'output' | 'error' | 'created_at' | 'started_at' | 'finished_at'
>;

const resultColumns = 'trigger_uuid, vsn, status, output, error, created_at, started_at, finished_at';

function toResult(row: ResultRow): TriggerResultRecord {
  const result: TriggerResultRecord = {
    triggerUUID: row.trigger_uuid,
    vsn: row.vsn,
    status: row.status,
    createdAt: row.created_at,
  };
  if (row.output !== null) result.output = JSON.parse(row.output);
  if (row.error !== null) result.error = JSON.parse(row.error) as TriggerError;
  if (row.started_at !== null) result.startedAt = row.started_at;
  if (row.finished_at !== null) result.finishedAt = row.finished_at;
  return result;
}

function toTrigger(row: TriggerRow): TriggerRecord {
  const trigger: TriggerRecord = {
    ...toResult(row),
    orgId: row.org_id,
    triggerParameters: JSON.parse(row.trigger_parameters) as Record<string, string>,
    callbackUrls: JSON.parse(row.callback_urls) as string[],
    requestId: row.request_id,
    attempts: row.attempts,
  };
  if (row.traceparent !== null) {
    trigger.trace = { traceparent: row.traceparent };
    if (row.tracestate !== null) trigger.trace.tracestate = row.tracestate;
  }
  return trigger;
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, string, string, string, string, number, string | null, string | null]>(
      `INSERT INTO triggers (trigger_uuid, org_id, vsn, trigger_parameters, callback_urls, request_id, status, created_at,
         traceparent, tracestate)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    ),
    find: db.prepare<[string, string], TriggerRow>('SELECT * FROM triggers WHERE trigger_uuid = ? AND org_id = ?'),
    findResult: db.prepare<[string, string], ResultRow>(
      `SELECT ${resultColumns} FROM triggers WHERE trigger_uuid = ? AND org_id = ?`,
    ),
    findAnywhere: db.prepare<[string], TriggerRow>('SELECT * FROM triggers WHERE trigger_uuid = ?'),
    countActive: db.prepare<[ClaimStep], number>(claimSql.countActive).pluck(),
    lease: db.prepare<[ClaimStep], TriggerRow>(claimSql.lease),
    renewLease: db.prepare<[number, string, string]>(
      `UPDATE triggers SET lease_expires_at = ?
       WHERE trigger_uuid = ? AND lease_owner = ? AND finished_at IS NULL`,
    ),
    finish: db.prepare<[Record<string, unknown>], TriggerRow>(
      `UPDATE triggers SET status = @status, output = @output, error = @error, finished_at = @finishedAt,
         lease_owner = NULL, lease_expires_at = 0
       WHERE trigger_uuid = @triggerUUID AND lease_owner = @workerId AND finished_at IS NULL RETURNING *`,
    ),
    release: db.prepare<[string]>(
      `UPDATE triggers SET status = 'queued', attempts = max(attempts - 1, 0), lease_owner = NULL, lease_expires_at = 0
       WHERE lease_owner = ? AND finished_at IS NULL`,
    ),
    remove: db.prepare<[string]>('DELETE FROM triggers WHERE trigger_uuid IN (SELECT value FROM json_each(?))'),
    countUnfinished: db
      .prepare<[string], number>('SELECT count(*) FROM triggers WHERE org_id = ? AND finished_at IS NULL')
      .pluck(),
    countByState: db.prepare<[], { org_id: string; status: 'queued' | 'running'; count: number }>(
      'SELECT org_id, status, count(*) AS count FROM triggers WHERE finished_at IS NULL GROUP BY org_id, status ORDER BY org_id, status',
    ),
  };
}

/**
 * The triggers of the SQLite storage. A trigger's job (its lease) lives on the trigger's own row,
 * so one insert writes both. The synchronous methods are for the unit of work's transactions.
 */
export class SqliteTriggerStore implements TriggerStore {
  readonly #statements: ReturnType<typeof prepare>;
  readonly #claim: Database.Transaction<(request: ClaimRequest, alongside?: Waiting) => Claimed>;
  readonly #leaseWrite: <T>(write: () => T) => T;
  readonly #waitingFinishes: () => Waiting | undefined;

  /**
   * @param waitingFinishes - the finished runs still waiting for their group commit: a claim
   * writes them first, in its own transaction, so that the slots they free are claimed at once.
   */
  constructor(db: Database.Database, waitingFinishes: () => Waiting | undefined = () => undefined) {
    const s = prepare(db);
    this.#statements = s;
    this.#leaseWrite = leaseWrites(db);
    this.#waitingFinishes = waitingFinishes;
    this.#claim = db.transaction(({ workerId, now, leaseMs, services }: ClaimRequest, alongside?: Waiting) => {
      const settle = alongside?.write();
      const claimed: TriggerRecord[] = [];
      for (const { orgId, vsn, concurrency } of services) {
        const step: ClaimStep = { workerId, leaseExpiresAt: now + leaseMs, now, orgId, vsn, free: 0 };
        step.free = concurrency - (s.countActive.get(step) ?? 0);
        if (step.free <= 0) continue;
        // RETURNING gives the rows in no promised order: oldest first again.
        for (const row of s.lease.all(step).sort(oldestFirst)) claimed.push(toTrigger(row));
      }
      return { claimed, settle };
    });
  }

  /** Writes a queued trigger; throws when its triggerUUID is taken. */
  insert(trigger: NewTrigger): void {
    this.#statements.insert.run(
      trigger.triggerUUID,
      trigger.orgId,
      trigger.vsn,
      JSON.stringify(trigger.triggerParameters),
      JSON.stringify(trigger.callbackUrls),
      trigger.requestId,
      trigger.createdAt,
      trigger.trace?.traceparent ?? null,
      trigger.trace?.tracestate ?? null,
    );
  }

  /** Finishes a trigger for its lease holder; the finished trigger, or undefined when the lease was lost. */
  finish(finish: TriggerFinish): TriggerRecord | undefined {
    const row = this.#statements.finish.get({
      triggerUUID: finish.triggerUUID,
      workerId: finish.workerId,
      status: finish.status,
      output: finish.output === undefined || finish.output === null ? null : JSON.stringify(finish.output),
      error: finish.error === undefined ? null : JSON.stringify(finish.error),
      finishedAt: finish.finishedAt,
    });
    return row && toTrigger(row);
  }

  /** The trigger with this id, whatever its organisation. */
  findAnywhere(triggerUUID: string): TriggerRecord | undefined {
    const row = this.#statements.findAnywhere.get(triggerUUID);
    return row && toTrigger(row);
  }

  /** Removes the triggers with these ids; how many there were. */
  remove(triggerUUIDs: string[]): number {
    return this.#statements.remove.run(JSON.stringify(triggerUUIDs)).changes;
  }

  async findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined> {
    const row = this.#statements.find.get(triggerUUID, orgId);
    return row && toTrigger(row);
  }

  async findResult(orgId: string, triggerUUID: string): Promise<TriggerResultRecord | undefined> {
    const row = this.#statements.findResult.get(triggerUUID, orgId);
    return row && toResult(row);
  }

  /**
   * Finished runs written along with a claim are committed without waiting for the disk, like the
   * claim: they reach it with the next durable commit or checkpoint, and a power cut before that
   * runs their triggers again (at least once, as a lost lease does).
   */
  async claimTriggers(request: ClaimRequest): Promise<TriggerRecord[]> {
    const finishes = this.#waitingFinishes();
    let written: Claimed;
    try {
      written = this.#leaseWrite(() => this.#claim.immediate(request, finishes));
    } catch (error) {
      // The finishes must not fail with the claim: each is written alone.
      finishes?.writeEach();
      throw error;
    }
    written.settle?.();
    return written.claimed;
  }

  async renewLease(triggerUUID: string, workerId: string, leaseExpiresAt: number): Promise<boolean> {
    return this.#leaseWrite(() => this.#statements.renewLease.run(leaseExpiresAt, triggerUUID, workerId).changes === 1);
  }

  async releaseTriggers(workerId: string): Promise<number> {
    return this.#statements.release.run(workerId).changes;
  }

  async countUnfinishedTriggers(orgId: string): Promise<number> {
    return this.#statements.countUnfinished.get(orgId) ?? 0;
  }

  async countByState(): Promise<UnfinishedCount[]> {
    return this.#statements.countByState
      .all()
      .map((row) => ({ orgId: row.org_id, status: row.status, count: row.count }));
  }
}
