import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { DeliveryStore } from '../delivery-store';
import type {
  CallbackToQueue,
  DeliveryAttemptRecord,
  DeliveryClaimRequest,
  DeliveryHistory,
  DeliveryRecord,
} from '../delivery-types';
import { inTransactionUnlessLost, LostClaim } from './lost-claim';
import { affected, deadDeliveryQueue, deliveryQueue, executor } from './postgres-queue';
import { inTransaction } from './postgres-transaction';
import type { WorkAnnouncer } from './work-announcer';
import { deliverySql, toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from './postgres-delivery-rows';

interface DeliveryJob {
  deliveryId: number;
}

/**
 * The callback deliveries of the PostgreSQL storage: the records and their attempts in our
 * tables, the attempt due next as a job on pg-boss's `delivery` queue. The schedule is ours (each
 * retry is a new job due at its time, so `Retry-After` and the configured waits hold exactly); a
 * delivery that ends failed is sent to `delivery-dead`. The methods taking a client are for the
 * unit of work.
 */
export class PostgresDeliveryStore implements DeliveryStore {
  readonly #pool: Pool;
  readonly #boss: PgBoss;
  readonly #announcer: WorkAnnouncer;

  /** @param announcer - tells the processes that deliver callbacks of jobs due at once. */
  constructor(pool: Pool, boss: PgBoss, announcer: WorkAnnouncer) {
    this.#pool = pool;
    this.#boss = boss;
    this.#announcer = announcer;
  }

  /** Queues one delivery per URL with its job, due at once, in `client`'s transaction. */
  async queue(client: PoolClient, { triggerUUID, orgId, webhookId, urls, at }: CallbackToQueue): Promise<void> {
    if (urls.length === 0) return;
    const { rows } = await client.query<{ delivery_id: number; job_id: string }>(deliverySql.queue, [
      triggerUUID,
      orgId,
      webhookId,
      at,
      urls,
      urls.map(() => randomUUID()),
    ]);
    await this.#send(client, rows);
  }

  /** Fetches due jobs and leases their deliveries, in `client`'s transaction, due first; each lease counts an attempt. */
  async lease(client: PoolClient, { workerId, now, leaseMs, limit }: DeliveryClaimRequest): Promise<DeliveryRecord[]> {
    const jobs = await this.#boss.fetch<DeliveryJob>(deliveryQueue, { batchSize: limit, db: executor(client) });
    if (jobs.length === 0) return [];
    const { rows } = await client.query<DeliveryRow & { due_at: number }>(deliverySql.lease, [
      workerId,
      now + leaseMs,
      jobs.map((job) => job.data.deliveryId),
      jobs.map((job) => job.id),
      jobs.map((job) => job.retryCount),
    ]);
    const leased = new Set(rows.map((row) => row.delivery_id));
    // A job that is not its delivery's current one (superseded by a resend, or the delivery ended or
    // removed) has nothing to do.
    const orphans = jobs.filter((job) => !leased.has(job.data.deliveryId));
    if (orphans.length > 0) await this.#boss.complete(deliveryQueue, orphans, null, { db: executor(client) });
    return rows.sort((a, b) => a.due_at - b.due_at || a.delivery_id - b.delivery_id).map(toDelivery);
  }

  /** Ends a leased delivery as failed with no attempt recorded (its trigger is gone), in `client`'s transaction. */
  async abandon(client: PoolClient, deliveryId: number, now: number): Promise<void> {
    const { rows } = await client.query<{ job_id: string; job_retry: number }>(deliverySql.abandon, [deliveryId, now]);
    if (rows[0]) {
      const job = { id: rows[0].job_id, retryCount: rows[0].job_retry };
      await this.#boss.complete(deliveryQueue, job, null, { db: executor(client) });
    }
  }

  recordDeliveryAttempt({ deliveryId, workerId, attempt, status }: DeliveryAttemptRecord): Promise<boolean> {
    return inTransactionUnlessLost(this.#pool, async (client) => {
      const endedAt = attempt.startedAt + attempt.durationMs;
      const pending = status === 'pending';
      const next = pending ? randomUUID() : null;
      const { rows } = await client.query<{ job_id: string; job_retry: number }>(deliverySql.endAttempt, [
        deliveryId,
        workerId,
        status,
        pending ? (attempt.retryAt ?? endedAt) : 0,
        pending ? null : endedAt,
        next,
      ]);
      const held = rows[0];
      if (!held) throw new LostClaim();
      const db = executor(client);
      const job = { id: held.job_id, retryCount: held.job_retry };
      if (affected(await this.#boss.complete(deliveryQueue, job, null, { db })) !== 1) throw new LostClaim();
      await client.query(deliverySql.insertAttempt, [
        deliveryId,
        attempt.attempt,
        attempt.startedAt,
        attempt.durationMs,
        attempt.statusCode ?? null,
        attempt.error ?? null,
        attempt.retryAt ?? null,
      ]);
      if (pending) {
        // Due after the wait the deliverer chose, on the database's time.
        const startAfter = Math.max(0, ((attempt.retryAt ?? endedAt) - endedAt) / 1000);
        await this.#boss.send(deliveryQueue, { deliveryId } satisfies DeliveryJob, { id: next!, startAfter, db });
        if (startAfter === 0) this.#announcer.dueOnCommit(client, deliveryQueue);
      } else if (status === 'failed') {
        await this.#boss.send(deadDeliveryQueue, { deliveryId } satisfies DeliveryJob, { db });
      }
    });
  }

  releaseDeliveries(workerId: string, now: number): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ delivery_id: number; job_id: string; job_retry: number }>(
        deliverySql.held,
        [workerId],
      );
      if (rows.length === 0) return 0;
      // The attempts under way end, and each delivery's next is due at once, without a retry spent.
      const attempts = rows.map((row) => ({ id: row.job_id, retryCount: row.job_retry }));
      await this.#boss.complete(deliveryQueue, attempts, null, { db: executor(client) });
      const next = rows.map((row) => ({ delivery_id: row.delivery_id, job_id: randomUUID() }));
      await client.query(deliverySql.release, [now, next.map((row) => row.delivery_id), next.map((row) => row.job_id)]);
      await this.#send(client, next);
      return rows.length;
    });
  }

  /**
   * Makes a delivery pending and due at once with a new job, its attempts kept, in `client`'s
   * transaction: the job it had, if any, leases nothing any more.
   */
  async requeue(client: PoolClient, deliveryId: number, now: number): Promise<void> {
    const job = { delivery_id: deliveryId, job_id: randomUUID() };
    await client.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $2, finished_at = NULL, lease_owner = NULL,
         job_id = $3, job_retry = NULL
       WHERE delivery_id = $1`,
      [deliveryId, now, job.job_id],
    );
    await this.#send(client, [job]);
  }

  /** Sends the jobs `rows` name, one per delivery, due at once, in `client`'s transaction. */
  async #send(client: PoolClient, rows: { delivery_id: number; job_id: string }[]): Promise<void> {
    const jobs = rows.map((row) => ({ id: row.job_id, data: { deliveryId: row.delivery_id } satisfies DeliveryJob }));
    await this.#boss.insert(deliveryQueue, jobs, { db: executor(client) });
    this.#announcer.dueOnCommit(client, deliveryQueue);
  }

  async findDeliveries(triggerUUID: string): Promise<DeliveryHistory[]> {
    const { rows } = await this.#pool.query<DeliveryRow>(
      'SELECT * FROM deliveries WHERE trigger_uuid = $1 ORDER BY delivery_id',
      [triggerUUID],
    );
    if (rows.length === 0) return [];
    const attempts = await this.#pool.query<AttemptRow>(
      'SELECT * FROM delivery_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, attempt',
      [rows.map((row) => row.delivery_id)],
    );
    return rows.map((row) => ({
      ...toDelivery(row),
      history: attempts.rows.filter((attempt) => attempt.delivery_id === row.delivery_id).map(toAttempt),
    }));
  }

  async countPending(): Promise<number> {
    const { rows } = await this.#pool.query<{ count: number }>(
      "SELECT count(*) AS count FROM deliveries WHERE status = 'pending'",
    );
    return rows[0]!.count;
  }
}
