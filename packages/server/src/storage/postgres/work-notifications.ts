import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { WorkListener, WorkWake } from '../storage';
import { deliveryQueue, triggerQueue } from './postgres-queue';

/**
 * The NOTIFY channel of pg-boss 12 for the queues of `schema` (its `notifyChannelSql`, which it
 * does not export), where jobs due at once are announced by the queue's name (work-announcer.ts),
 * after their commit, so never for a rolled-back trigger. Schema names here are unquoted, so no
 * quotes to normalise.
 */
export function workChannel(schema: string): string {
  return `pgboss_${createHash('sha224').update(schema).digest('hex').slice(0, 24)}`;
}

/**
 * Listens for the jobs other processes make due, on pg-boss's dedicated connection (its `listen`,
 * which keeps the connection alive with heartbeats and connects and listens again with a backoff
 * when it is lost): a trigger's job wakes `wake.triggers`, a delivery's `wake.deliveries`. Each
 * (re)connection wakes both, since announcements made while it was down are lost; polling stays
 * as the net under all of it.
 */
export async function listenForWork(boss: PgBoss, schema: string, wake: WorkWake): Promise<WorkListener> {
  const db = boss.getDb();
  if (!db.listen) throw new Error('The PostgreSQL connection of the job engine cannot LISTEN');
  return db.listen(
    workChannel(schema),
    (queue) => {
      if (queue === triggerQueue) wake.triggers();
      else if (queue === deliveryQueue) wake.deliveries();
    },
    () => {
      wake.triggers();
      wake.deliveries();
    },
  );
}
