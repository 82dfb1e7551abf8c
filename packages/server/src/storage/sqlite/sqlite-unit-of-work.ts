import type Database from 'better-sqlite3';
import type { DeliveryClaimRequest } from '../delivery-types';
import { IdempotencyKeyLost, type IdempotencyCompletion } from '../idempotency-types';
import type { NewTrigger, TriggerFinish } from '../trigger-types';
import type { ClaimedDelivery, PurgeResult, QueueStats, UnitOfWork } from '../unit-of-work';
import { purgeBatch } from './delete-in-batches';
import { GroupCommit, type CommitTurn, type Waiting } from './group-commit';
import type { SqliteDeliveryStore } from './sqlite-delivery-store';
import type { SqliteIdempotencyKeyStore } from './sqlite-idempotency-key-store';
import type { SqliteTokenStore } from './sqlite-token-store';
import type { SqliteTriggerStore } from './sqlite-trigger-store';

/** The aggregate repositories a unit of work writes through. */
export interface SqliteRepositories {
  triggers: SqliteTriggerStore;
  idempotencyKeys: SqliteIdempotencyKeyStore;
  deliveries: SqliteDeliveryStore;
  tokens: SqliteTokenStore;
}

interface NewTriggerWrite {
  trigger: NewTrigger;
  idempotency: IdempotencyCompletion | undefined;
}

/**
 * The work of the SQLite storage that spans aggregates, each an immediate transaction over the
 * repositories' synchronous methods. New triggers and finished runs asked for in one turn of the
 * event loop share one commit, with the callback attempts of that turn.
 */
export class SqliteUnitOfWork implements UnitOfWork {
  readonly #repositories: SqliteRepositories;
  readonly #newTriggers: GroupCommit<NewTriggerWrite, void>;
  readonly #finishes: GroupCommit<TriggerFinish, boolean>;
  readonly #claimDeliveries: Database.Transaction<(request: DeliveryClaimRequest) => ClaimedDelivery[]>;
  readonly #purgeTriggers: Database.Transaction<(triggerUUIDs: string[]) => number>;
  // A trigger stays while its callback is pending: the deliverer reads it to make the body.
  readonly #findPurgeable: Database.Statement<[number, number], string>;

  /** @param turn - the connection's commit turn, which the group commits of new triggers and finished runs join. */
  constructor(db: Database.Database, repositories: SqliteRepositories, turn: CommitTurn) {
    this.#repositories = repositories;
    const { triggers, idempotencyKeys, deliveries } = repositories;

    this.#newTriggers = new GroupCommit(
      db,
      ({ trigger, idempotency }: NewTriggerWrite) => {
        triggers.insert(trigger);
        // Throwing undoes the insert: a trigger is never written under a key it does not hold.
        if (
          idempotency &&
          !idempotencyKeys.complete(trigger.orgId, idempotency.key, idempotency.owner, idempotency.response)
        ) {
          throw new IdempotencyKeyLost(idempotency.key);
        }
      },
      turn,
    );

    this.#finishes = new GroupCommit(
      db,
      (finish: TriggerFinish) => {
        const trigger = triggers.finish(finish);
        if (!trigger) return false;
        deliveries.queue({
          triggerUUID: trigger.triggerUUID,
          orgId: trigger.orgId,
          webhookId: finish.webhookId,
          urls: trigger.callbackUrls,
          at: finish.finishedAt,
        });
        return true;
      },
      turn,
    );

    this.#claimDeliveries = db.transaction((request: DeliveryClaimRequest) => {
      const claimed: ClaimedDelivery[] = [];
      for (const delivery of deliveries.leaseDue(request)) {
        const trigger = triggers.findAnywhere(delivery.triggerUUID);
        if (trigger) claimed.push({ delivery, trigger });
        // Purges keep the triggers of pending deliveries; a trigger removed by hand ends them.
        else deliveries.abandon(delivery.deliveryId, request.now);
      }
      return claimed;
    });

    this.#purgeTriggers = db.transaction((triggerUUIDs: string[]) => {
      deliveries.removeForTriggers(triggerUUIDs);
      return triggers.remove(triggerUUIDs);
    });
    this.#findPurgeable = db
      .prepare<[number, number], string>(
        `SELECT trigger_uuid FROM triggers AS t
         WHERE finished_at IS NOT NULL AND finished_at < ?
           AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.trigger_uuid = t.trigger_uuid AND d.status = 'pending')
         LIMIT ?`,
      )
      .pluck();
  }

  createTrigger(trigger: NewTrigger, idempotency?: IdempotencyCompletion): Promise<void> {
    return this.#newTriggers.add({ trigger, idempotency });
  }

  finishTrigger(finish: TriggerFinish): Promise<boolean> {
    return this.#finishes.add(finish);
  }

  async claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
    return this.#claimDeliveries.immediate(request);
  }

  async purge(finishedBefore: number, now: number): Promise<PurgeResult> {
    let triggers = 0;
    for (;;) {
      const batch = this.#findPurgeable.all(finishedBefore, purgeBatch);
      if (batch.length > 0) triggers += this.#purgeTriggers.immediate(batch);
      if (batch.length < purgeBatch) break;
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

  /** Takes the finished runs waiting for their group commit, for a claim to write first. */
  waitingFinishes(): Waiting | undefined {
    return this.#finishes.take();
  }

  /** Commits the writes waiting for their group commit now. */
  flush(): void {
    this.#newTriggers.flush();
    this.#finishes.flush();
  }
}
