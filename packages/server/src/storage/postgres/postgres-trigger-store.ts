import type { Pool, PoolClient } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { TriggerStore } from '../trigger-store';
import type {
  ClaimRequest,
  NewTrigger,
  ServiceCapacity,
  TriggerFinish,
  TriggerRecord,
  TriggerResultRecord,
  UnfinishedCount,
} from '../trigger-types';
import { affected, executor, serviceGroup, triggerQueue } from './postgres-queue';
import { inTransaction } from './postgres-transaction';
import type { WorkAnnouncer } from './work-announcer';
import {
  finishValues,
  insertValues,
  oldestFirst,
  resultColumns,
  toResult,
  toTrigger,
  triggerSql,
  type ResultRow,
  type TriggerRow,
} from './postgres-trigger-rows';

// Serialises the claims of one service across processes: pg-boss counts a group's active jobs in
// the snapshot of its fetch, so two fetches at once could each fill the same free slots.
const serviceLock = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/**
 * The triggers of the PostgreSQL storage: the records in our table, their jobs on pg-boss's
 * `trigger` queue. A claim fetches jobs and marks their triggers running in one transaction; the
 * job's attempt (`retryCount`) is kept on the row, so that settling it names that attempt and
 * "the lease was lost" is pg-boss's answer. The methods taking a client are for the unit of work.
 */
export class PostgresTriggerStore implements TriggerStore {
  readonly #pool: Pool;
  readonly #boss: PgBoss;
  readonly #announcer: WorkAnnouncer;

  /** @param announcer - tells the worker processes of jobs due at once. */
  constructor(pool: Pool, boss: PgBoss, announcer: WorkAnnouncer) {
    this.#pool = pool;
    this.#boss = boss;
    this.#announcer = announcer;
  }

  /** Writes a queued trigger and sends its job, in `client`'s transaction. */
  async insert(client: PoolClient, trigger: NewTrigger): Promise<void> {
    await client.query(triggerSql.insert, insertValues(trigger));
    const group = serviceGroup(trigger.orgId, trigger.vsn);
    await this.#boss.send(
      triggerQueue,
      { triggerUUID: trigger.triggerUUID },
      { id: trigger.triggerUUID, group: { id: group, tier: group }, db: executor(client) },
    );
    this.#announcer.dueOnCommit(client, triggerQueue);
  }

  /**
   * Finishes a trigger for its lease holder and completes its job's attempt, in `client`'s
   * transaction; undefined when either is lost (the caller rolls back).
   */
  async finish(client: PoolClient, finish: TriggerFinish): Promise<TriggerRecord | undefined> {
    const { rows } = await client.query<TriggerRow & { claimed_retry: number | null }>(
      triggerSql.finish,
      finishValues(finish),
    );
    const row = rows[0];
    if (!row || row.claimed_retry === null) return undefined;
    const attempt = { id: finish.triggerUUID, retryCount: row.claimed_retry };
    const settled = affected(await this.#boss.complete(triggerQueue, attempt, null, { db: executor(client) }));
    return settled === 1 ? toTrigger(row) : undefined;
  }

  async findTrigger(orgId: string, triggerUUID: string): Promise<TriggerRecord | undefined> {
    const { rows } = await this.#pool.query<TriggerRow>(
      'SELECT * FROM triggers WHERE trigger_uuid = $1 AND org_id = $2',
      [triggerUUID, orgId],
    );
    return rows[0] && toTrigger(rows[0]);
  }

  async findResult(orgId: string, triggerUUID: string): Promise<TriggerResultRecord | undefined> {
    const { rows } = await this.#pool.query<ResultRow>(
      `SELECT ${resultColumns} FROM triggers WHERE trigger_uuid = $1 AND org_id = $2`,
      [triggerUUID, orgId],
    );
    return rows[0] && toResult(rows[0]);
  }

  /** The trigger with this id, whatever its organisation. */
  async findAnywhere(client: PoolClient, triggerUUID: string): Promise<TriggerRecord | undefined> {
    const { rows } = await client.query<TriggerRow>('SELECT * FROM triggers WHERE trigger_uuid = $1', [triggerUUID]);
    return rows[0] && toTrigger(rows[0]);
  }

  claimTriggers({ workerId, now, services }: ClaimRequest): Promise<TriggerRecord[]> {
    // One order for every process, so that two claims never wait for each other's locks in a circle.
    const ordered = [...services].sort((a, b) => compare(serviceGroup(a.orgId, a.vsn), serviceGroup(b.orgId, b.vsn)));
    return inTransaction(this.#pool, async (client) => {
      const claimed: TriggerRecord[] = [];
      for (const service of ordered) claimed.push(...(await this.#claimService(client, service, workerId, now)));
      return claimed;
    });
  }

  async #claimService(
    client: PoolClient,
    { orgId, vsn, concurrency }: ServiceCapacity,
    workerId: string,
    now: number,
  ): Promise<TriggerRecord[]> {
    if (concurrency <= 0) return [];
    const group = serviceGroup(orgId, vsn);
    await client.query(serviceLock, [`trigger ${group}`]);
    // Every other group's limit is 0: one fetch takes this service's jobs alone, up to its free slots.
    const jobs = await this.#boss.fetch<{ triggerUUID: string }>(triggerQueue, {
      batchSize: concurrency,
      groupConcurrency: { default: 0, tiers: { [group]: concurrency } },
      db: executor(client),
    });
    if (jobs.length === 0) return [];
    const { rows } = await client.query<TriggerRow>(triggerSql.claim, [
      now,
      workerId,
      jobs.map((job) => job.id),
      jobs.map((job) => job.retryCount),
    ]);
    const held = new Set(rows.map((row) => row.trigger_uuid));
    // A job whose trigger has finished or gone (removed by hand) has nothing left to run.
    const orphans = jobs.filter((job) => !held.has(job.id));
    if (orphans.length > 0) await this.#boss.complete(triggerQueue, orphans, null, { db: executor(client) });
    return rows.map(toTrigger).sort(oldestFirst);
  }

  /** A heartbeat for the job of the lease holder's attempt; the lease's end is the queue's heartbeat. */
  async renewLease(triggerUUID: string, workerId: string): Promise<boolean> {
    const { rows } = await this.#pool.query<{ job_retry: number }>(
      `SELECT job_retry FROM triggers
       WHERE trigger_uuid = $1 AND lease_owner = $2 AND finished_at IS NULL AND job_retry IS NOT NULL`,
      [triggerUUID, workerId],
    );
    if (!rows[0]) return false;
    return affected(await this.#boss.touch(triggerQueue, { id: triggerUUID, retryCount: rows[0].job_retry })) === 1;
  }

  releaseTriggers(workerId: string): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ trigger_uuid: string; job_retry: number }>(
        `WITH held AS (
           SELECT trigger_uuid, job_retry FROM triggers
           WHERE lease_owner = $1 AND finished_at IS NULL AND job_retry IS NOT NULL FOR UPDATE
         )
         UPDATE triggers AS t SET status = 'queued', attempts = greatest(attempts - 1, 0), lease_owner = NULL,
           job_retry = NULL
         FROM held WHERE t.trigger_uuid = held.trigger_uuid
         RETURNING t.trigger_uuid, held.job_retry`,
        [workerId],
      );
      // Failed with the queue's retryDelay of 0: fetchable again at once.
      if (rows.length > 0) {
        await this.#boss.fail(
          triggerQueue,
          rows.map((row) => ({ id: row.trigger_uuid, retryCount: row.job_retry })),
          { message: 'given back by a worker that stopped' },
          { db: executor(client) },
        );
        // Failed with a retry delay of 0: due again at once.
        this.#announcer.dueOnCommit(client, triggerQueue);
      }
      return rows.length;
    });
  }

  async countUnfinishedTriggers(orgId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ count: number }>(
      'SELECT count(*) AS count FROM triggers WHERE org_id = $1 AND finished_at IS NULL',
      [orgId],
    );
    return rows[0]!.count;
  }

  async countByState(): Promise<UnfinishedCount[]> {
    // Byte order, as SQLite sorts, whatever the database's collation.
    const { rows } = await this.#pool.query<{ org_id: string; status: 'queued' | 'running'; count: number }>(
      `SELECT org_id, status, count(*) AS count FROM triggers WHERE finished_at IS NULL
       GROUP BY org_id, status ORDER BY org_id COLLATE "C", status COLLATE "C"`,
    );
    return rows.map((row) => ({ orgId: row.org_id, status: row.status, count: row.count }));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
