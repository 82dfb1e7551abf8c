import type { Pool } from 'pg';
import type { DeliveryClaimRequest } from '../delivery-types';
import { IdempotencyKeyLost, type IdempotencyCompletion } from '../idempotency-types';
import type { NewTrigger, TriggerFinish } from '../trigger-types';
import type { ClaimedDelivery, PurgeResult, QueueStats, UnitOfWork } from '../unit-of-work';
import { inTransactionUnlessLost, LostClaim } from './lost-claim';
import type { PostgresDeliveryStore } from './postgres-delivery-store';
import type { PostgresIdempotencyKeyStore } from './postgres-idempotency-key-store';
import type { PostgresTokenStore } from './postgres-token-store';
import { inTransaction } from './postgres-transaction';
import type { PostgresTriggerStore } from './postgres-trigger-store';

/** The aggregate repositories a unit of work writes through. */
export interface PostgresRepositories {
  triggers: PostgresTriggerStore;
  idempotencyKeys: PostgresIdempotencyKeyStore;
  deliveries: PostgresDeliveryStore;
  tokens: PostgresTokenStore;
}

// Small batches, as in the SQLite store, so that a large purge never holds its locks for long.
const purgeBatch = 500;

/**
 * The work of the PostgreSQL storage that spans aggregates, each one transaction on one client:
 * our rows and pg-boss's jobs (written through the same client) commit or roll back together.
 */
export class PostgresUnitOfWork implements UnitOfWork {
  readonly #pool: Pool;
  readonly #repositories: PostgresRepositories;

  constructor(pool: Pool, repositories: PostgresRepositories) {
    this.#pool = pool;
    this.#repositories = repositories;
  }

  createTrigger(trigger: NewTrigger, idempotency?: IdempotencyCompletion): Promise<void> {
    const { triggers, idempotencyKeys } = this.#repositories;
    return inTransaction(this.#pool, async (client) => {
      await triggers.insert(client, trigger);
      // Throwing rolls the trigger and its job back: a trigger is never written under a key it does not hold.
      if (
        idempotency &&
        !(await idempotencyKeys.complete(
          client,
          trigger.orgId,
          idempotency.key,
          idempotency.owner,
          idempotency.response,
        ))
      ) {
        throw new IdempotencyKeyLost(idempotency.key);
      }
    });
  }

  finishTrigger(finish: TriggerFinish): Promise<boolean> {
    const { triggers, deliveries } = this.#repositories;
    return inTransactionUnlessLost(this.#pool, async (client) => {
      const trigger = await triggers.finish(client, finish);
      if (!trigger) throw new LostClaim();
      await deliveries.queue(client, {
        triggerUUID: trigger.triggerUUID,
        orgId: trigger.orgId,
        webhookId: finish.webhookId,
        urls: trigger.callbackUrls,
        at: finish.finishedAt,
      });
    });
  }

  claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
    const { triggers, deliveries } = this.#repositories;
    return inTransaction(this.#pool, async (client) => {
      const claimed: ClaimedDelivery[] = [];
      for (const delivery of await deliveries.lease(client, request)) {
        const trigger = await triggers.findAnywhere(client, delivery.triggerUUID);
        if (trigger) claimed.push({ delivery, trigger });
        // Purges keep the triggers of pending deliveries; a trigger removed by hand ends them.
        else await deliveries.abandon(client, delivery.deliveryId, request.now);
      }
      return claimed;
    });
  }

  async purge(finishedBefore: number, now: number): Promise<PurgeResult> {
    let triggers = 0;
    for (;;) {
      const removed = await inTransaction(this.#pool, async (client) => {
        // A trigger stays while its callback is pending: the deliverer reads it to make the body.
        const { rows } = await client.query<{ trigger_uuid: string }>(
          `SELECT trigger_uuid FROM triggers AS t
           WHERE finished_at IS NOT NULL AND finished_at < $1
             AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.trigger_uuid = t.trigger_uuid AND d.status = 'pending')
           LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [finishedBefore, purgeBatch],
        );
        const batch = rows.map((row) => row.trigger_uuid);
        if (batch.length === 0) return 0;
        await client.query(
          `DELETE FROM delivery_attempts WHERE delivery_id IN
             (SELECT delivery_id FROM deliveries WHERE trigger_uuid = ANY($1::text[]))`,
          [batch],
        );
        await client.query('DELETE FROM deliveries WHERE trigger_uuid = ANY($1::text[])', [batch]);
        const { rowCount } = await client.query('DELETE FROM triggers WHERE trigger_uuid = ANY($1::text[])', [batch]);
        return rowCount ?? 0;
      });
      triggers += removed;
      if (removed < purgeBatch) break;
    }
    return {
      triggers,
      tokens: await this.#repositories.tokens.purgeExpired(now),
      idempotencyKeys: await this.#repositories.idempotencyKeys.purgeExpired(now),
    };
  }

  async queueStats(): Promise<QueueStats> {
    return {
      triggers: await this.#repositories.triggers.countByState(),
      pendingDeliveries: await this.#repositories.deliveries.countPending(),
    };
  }
}
