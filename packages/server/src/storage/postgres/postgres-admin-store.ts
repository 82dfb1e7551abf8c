import type { Pool } from 'pg';
import type { AdminStore, ResendRequest, ResendResult, ServiceLoad, ServiceSample, TriggerQuery } from '../admin-store';
import type { TriggerRecord } from '../trigger-types';
import type { PostgresDeliveryStore } from './postgres-delivery-store';
import { postgresServiceHistory } from './postgres-service-history';
import { inTransaction } from './postgres-transaction';
import { toTrigger, type TriggerRow } from './postgres-trigger-rows';

interface LoadRow {
  vsn: string;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  timed_out: number;
}

// Each filter applies only when given. UUIDs compared and ordered byte by byte, as SQLite does,
// whatever the database's collation: the primary key walked backwards orders the page.
const listSql = `SELECT * FROM triggers AS t
  WHERE org_id = $1
    AND ($2::text IS NULL OR status = $2)
    AND ($3::text IS NULL OR vsn = $3)
    AND ($4::bigint IS NULL OR created_at >= $4)
    AND ($5::bigint IS NULL OR created_at < $5)
    AND ($6::text IS NULL OR trigger_uuid COLLATE "C" < $6)
    AND ($7::text IS NULL OR EXISTS (
      SELECT 1 FROM deliveries AS d WHERE d.trigger_uuid = t.trigger_uuid AND d.status = $7))
  ORDER BY trigger_uuid COLLATE "C" DESC LIMIT $8`;

const loadSql = `SELECT vsn,
    count(*) FILTER (WHERE finished_at IS NULL AND status = 'queued') AS queued,
    count(*) FILTER (WHERE finished_at IS NULL AND status = 'running') AS running,
    count(*) FILTER (WHERE status = 'succeeded' AND finished_at >= $2) AS succeeded,
    count(*) FILTER (WHERE status = 'failed' AND finished_at >= $2) AS failed,
    count(*) FILTER (WHERE status = 'timed_out' AND finished_at >= $2) AS timed_out
  FROM triggers WHERE org_id = $1 AND (finished_at IS NULL OR finished_at >= $2)
  GROUP BY vsn ORDER BY vsn COLLATE "C"`;

/** The admin reads and the resend of the PostgreSQL storage. */
export class PostgresAdminStore implements AdminStore {
  readonly #pool: Pool;
  readonly #deliveries: PostgresDeliveryStore;

  constructor(pool: Pool, deliveries: PostgresDeliveryStore) {
    this.#pool = pool;
    this.#deliveries = deliveries;
  }

  async listTriggers(query: TriggerQuery): Promise<TriggerRecord[]> {
    const { rows } = await this.#pool.query<TriggerRow>(listSql, [
      query.orgId,
      query.status ?? null,
      query.vsn ?? null,
      query.createdFrom ?? null,
      query.createdBefore ?? null,
      query.afterTriggerUUID ?? null,
      query.callbackState ?? null,
      query.limit,
    ]);
    return rows.map(toTrigger);
  }

  async serviceLoad(orgId: string, finishedSince: number): Promise<ServiceLoad[]> {
    const { rows } = await this.#pool.query<LoadRow>(loadSql, [orgId, finishedSince]);
    return rows.map((row) => ({
      vsn: row.vsn,
      queued: row.queued,
      running: row.running,
      finished: { succeeded: row.succeeded, failed: row.failed, timed_out: row.timed_out },
    }));
  }

  serviceHistory(orgId: string, since: number, sampleMs: number, samples: number): Promise<ServiceSample[]> {
    return postgresServiceHistory(this.#pool, orgId, since, sampleMs, samples);
  }

  async resendDelivery({ orgId, triggerUUID, deliveryId, now }: ResendRequest): Promise<ResendResult> {
    const outcome = await inTransaction(this.#pool, async (client): Promise<ResendResult['outcome']> => {
      const { rows } = await client.query<{ status: string; job_retry: number | null; next_attempt_at: number }>(
        `SELECT status, job_retry, next_attempt_at FROM deliveries
         WHERE delivery_id = $1 AND trigger_uuid = $2 AND org_id = $3 FOR UPDATE`,
        [deliveryId, triggerUUID, orgId],
      );
      const found = rows[0];
      if (!found) return 'not_found';
      // A pending delivery with a live lease is being attempted right now.
      if (found.status === 'pending' && found.job_retry !== null && found.next_attempt_at > now) return 'in_flight';
      await this.#deliveries.requeue(client, deliveryId, now);
      return 'resent';
    });
    if (outcome !== 'resent') return { outcome };
    const delivery = (await this.#deliveries.findDeliveries(triggerUUID)).find(
      (candidate) => candidate.deliveryId === deliveryId,
    );
    // Purges keep triggers whose callbacks are pending, and this one is now.
    return { outcome: 'resent', delivery: delivery! };
  }
}
