import type Database from 'better-sqlite3';
import type { AdminStore, ResendRequest, ResendResult, ServiceLoad, ServiceSample, TriggerQuery } from '../admin-store';
import type { DeliveryStore } from '../delivery-store';
import type { TriggerRecord } from '../trigger-types';
import { sqliteServiceHistory } from './sqlite-service-history';
import type { SqliteTriggerStore } from './sqlite-trigger-store';

interface LoadRow {
  vsn: string;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  timed_out: number;
}

function prepare(db: Database.Database) {
  return {
    // Each filter applies only when given; the primary key, walked backwards, orders the page.
    list: db
      .prepare<[Record<string, unknown>], string>(
        `SELECT trigger_uuid FROM triggers AS t
         WHERE org_id = @orgId
           AND (@status IS NULL OR status = @status)
           AND (@vsn IS NULL OR vsn = @vsn)
           AND (@createdFrom IS NULL OR created_at >= @createdFrom)
           AND (@createdBefore IS NULL OR created_at < @createdBefore)
           AND (@after IS NULL OR trigger_uuid < @after)
           AND (@callbackState IS NULL OR EXISTS (
             SELECT 1 FROM deliveries AS d WHERE d.trigger_uuid = t.trigger_uuid AND d.status = @callbackState))
         ORDER BY trigger_uuid DESC LIMIT @limit`,
      )
      .pluck(),
    load: db.prepare<[{ orgId: string; since: number }], LoadRow>(
      `SELECT vsn,
         sum(finished_at IS NULL AND status = 'queued') AS queued,
         sum(finished_at IS NULL AND status = 'running') AS running,
         sum(status = 'succeeded' AND finished_at >= @since) AS succeeded,
         sum(status = 'failed' AND finished_at >= @since) AS failed,
         sum(status = 'timed_out' AND finished_at >= @since) AS timed_out
       FROM triggers WHERE org_id = @orgId AND (finished_at IS NULL OR finished_at >= @since)
       GROUP BY vsn ORDER BY vsn`,
    ),
    findDelivery: db.prepare<
      [number, string, string],
      { status: string; lease_owner: string | null; next_attempt_at: number }
    >(
      'SELECT status, lease_owner, next_attempt_at FROM deliveries WHERE delivery_id = ? AND trigger_uuid = ? AND org_id = ?',
    ),
    resend: db.prepare<[number, number]>(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, finished_at = NULL, lease_owner = NULL
       WHERE delivery_id = ?`,
    ),
  };
}

/** The admin reads and the resend of the SQLite storage. */
export class SqliteAdminStore implements AdminStore {
  readonly #statements: ReturnType<typeof prepare>;
  readonly #resend: Database.Transaction<(request: ResendRequest) => ResendResult['outcome']>;
  readonly #history: ReturnType<typeof sqliteServiceHistory>;

  constructor(
    db: Database.Database,
    private readonly triggers: SqliteTriggerStore,
    private readonly deliveries: DeliveryStore,
  ) {
    const s = prepare(db);
    this.#statements = s;
    this.#history = sqliteServiceHistory(db);
    this.#resend = db.transaction(({ orgId, triggerUUID, deliveryId, now }: ResendRequest) => {
      const found = s.findDelivery.get(deliveryId, triggerUUID, orgId);
      if (!found) return 'not_found';
      // A pending delivery with a live lease is being attempted right now.
      if (found.status === 'pending' && found.lease_owner !== null && found.next_attempt_at > now) return 'in_flight';
      s.resend.run(now, deliveryId);
      return 'resent';
    });
  }

  async listTriggers(query: TriggerQuery): Promise<TriggerRecord[]> {
    const uuids = this.#statements.list.all({
      orgId: query.orgId,
      status: query.status ?? null,
      vsn: query.vsn ?? null,
      createdFrom: query.createdFrom ?? null,
      createdBefore: query.createdBefore ?? null,
      after: query.afterTriggerUUID ?? null,
      callbackState: query.callbackState ?? null,
      limit: query.limit,
    });
    // Read one by one through the trigger store's own mapping; a page is at most 100 rows.
    return uuids.flatMap((uuid) => this.triggers.findAnywhere(uuid) ?? []);
  }

  async serviceLoad(orgId: string, finishedSince: number): Promise<ServiceLoad[]> {
    return this.#statements.load.all({ orgId, since: finishedSince }).map((row) => ({
      vsn: row.vsn,
      queued: row.queued,
      running: row.running,
      finished: { succeeded: row.succeeded, failed: row.failed, timed_out: row.timed_out },
    }));
  }

  async serviceHistory(orgId: string, since: number, sampleMs: number, samples: number): Promise<ServiceSample[]> {
    return this.#history(orgId, since, sampleMs, samples);
  }

  async resendDelivery(request: ResendRequest): Promise<ResendResult> {
    const outcome = this.#resend.immediate(request);
    if (outcome !== 'resent') return { outcome };
    const delivery = (await this.deliveries.findDeliveries(request.triggerUUID)).find(
      (candidate) => candidate.deliveryId === request.deliveryId,
    );
    // Purges keep triggers whose callbacks are pending, and this one is now.
    return { outcome: 'resent', delivery: delivery! };
  }
}
