import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  ClaimRequest,
  NewTrigger,
  PurgeResult,
  Store,
  TokenRecord,
  TriggerError,
  TriggerFinish,
  TriggerRecord,
  TriggerState,
  UsageCount,
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
 * lease) lives on the trigger's own row, so one insert writes both; new triggers and finished
 * runs asked for in one turn of the event loop share one commit.
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements;
  readonly #claim;
  readonly #addUsage;
  readonly #newTriggers: GroupCommit<NewTrigger, void>;
  readonly #finishes: GroupCommit<TriggerFinish, boolean>;
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
      purgeTriggers: db.prepare<[number, number]>(
        `DELETE FROM triggers WHERE rowid IN
           (SELECT rowid FROM triggers WHERE finished_at IS NOT NULL AND finished_at < ? LIMIT ?)`,
      ),
      purgeTokens: db.prepare<[number, number]>(
        'DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tokens WHERE expires_at <= ? LIMIT ?)',
      ),
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

    this.#newTriggers = new GroupCommit(db, (trigger: NewTrigger) => {
      s.insertTrigger.run(
        trigger.triggerUUID,
        trigger.orgId,
        trigger.vsn,
        JSON.stringify(trigger.triggerParameters),
        JSON.stringify(trigger.callbackUrls),
        trigger.requestId,
        trigger.createdAt,
      );
    });

    this.#finishes = new GroupCommit(
      db,
      (finish: TriggerFinish) =>
        s.finishTrigger.run({
          triggerUUID: finish.triggerUUID,
          workerId: finish.workerId,
          status: finish.status,
          output: finish.output === undefined || finish.output === null ? null : JSON.stringify(finish.output),
          error: finish.error === undefined ? null : JSON.stringify(finish.error),
          finishedAt: finish.finishedAt,
        }).changes === 1,
    );

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

  createTrigger(trigger: NewTrigger): Promise<void> {
    return this.#newTriggers.add(trigger);
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
    return {
      triggers: removeAll(this.#statements.purgeTriggers, finishedBefore),
      tokens: removeAll(this.#statements.purgeTokens, now),
    };
  }

  async ping(): Promise<void> {
    this.#statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.#db.open) {
      this.#newTriggers.flush();
      this.#finishes.flush();
    }
    await this.#checkpointer.stop();
    if (this.#db.open) this.#db.close();
  }
}
