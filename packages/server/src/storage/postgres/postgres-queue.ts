import type { PoolClient } from 'pg';
import { PgBoss, type CommandResponse, type Db } from 'pg-boss';
import type { Clock } from '../../time/clock';

/** The queue of the triggers' jobs: one job per trigger, its id the triggerUUID. */
export const triggerQueue = 'trigger';
/** The queue of the callback deliveries' jobs: one job per attempt due. */
export const deliveryQueue = 'delivery';
/** Where a delivery goes when it ends failed: an operator may resend it from there. */
export const deadDeliveryQueue = 'delivery-dead';

/** How the job engine of the PostgreSQL storage runs. */
export interface QueueOptions {
  url: string;
  /** pg-boss's own pool: its fetches, heartbeats and supervise passes (our transactions use ours). */
  poolSize: number;
  /** The schema pg-boss creates and migrates itself, under its own advisory lock. */
  schema: string;
  /** A running trigger's heartbeat (pg-boss's minimum is 10 s): without one for this long, its job comes back. */
  heartbeatSeconds: number;
  /**
   * How often a supervise pass fails the jobs whose heartbeat stopped or that expired: a dead
   * worker's trigger waits up to this after its heartbeat lapses.
   */
  superviseIntervalSeconds: number;
  /** The outer bound of a run, heartbeat or not: above the longest service timeout. */
  triggerExpireSeconds: number;
  /** How long one callback attempt may hold its job before another deliverer makes it again. */
  deliveryExpireSeconds: number;
  /** How long completed jobs stay in pg-boss's tables (our rows keep the history). */
  deleteAfterSeconds: number;
  /** pg-boss's timers read this; the system clock when absent. */
  clock?: Clock;
  /** Told of an error of pg-boss's background work (a supervise pass, a heartbeat of its own). */
  onError?: (error: Error) => void;
}

// Our `attempts` and `workers.maxAttempts` decide when a trigger is abandoned; pg-boss's retry
// limit is a safety net far above it (a graceful release spends one retry too).
const triggerRetryLimit = 1000;
// A callback's schedule is ours (each retry is a new job at its time); these retries are for an
// attempt whose deliverer died, before the job is dead-lettered.
const deliveryRetryLimit = 5;

/** Starts pg-boss on the database, creating or migrating its schema, and our queues with their settings. */
export async function startQueue(options: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    max: options.poolSize,
    application_name: 'autofacilitate-server',
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    // Expiry and heartbeat failures run in the monitor step of a supervise pass, which runs only
    // once per monitor interval (60 s by default) whatever the supervise interval.
    monitorIntervalSeconds: options.superviseIntervalSeconds,
    // No cron schedules here: no cron worker or clock monitor to run. No `useListenNotify` either:
    // its listener wakes pg-boss's own work() loops, which our claims are not; the worker
    // processes listen on the same channel themselves (work-notifications.ts).
    schedule: false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // Without a listener an error of pg-boss's background work would end the process.
  boss.on('error', (error) => options.onError?.(error));
  await boss.start();
  const queues: [string, Parameters<PgBoss['createQueue']>[1]][] = [
    [deadDeliveryQueue, { deleteAfterSeconds: options.deleteAfterSeconds }],
    [
      triggerQueue,
      {
        heartbeatSeconds: options.heartbeatSeconds,
        expireInSeconds: options.triggerExpireSeconds,
        retryLimit: triggerRetryLimit,
        retryDelay: 0,
        deleteAfterSeconds: options.deleteAfterSeconds,
        // Jobs due at once are announced after their commit, not by pg-boss (work-announcer.ts).
        notify: false,
      },
    ],
    [
      deliveryQueue,
      {
        expireInSeconds: options.deliveryExpireSeconds,
        retryLimit: deliveryRetryLimit,
        retryDelay: 0,
        deadLetter: deadDeliveryQueue,
        deleteAfterSeconds: options.deleteAfterSeconds,
        notify: false,
      },
    ],
  ];
  try {
    for (const [name, settings] of queues) {
      // Creating is a no-op for a queue that exists; the update applies a changed configuration.
      await boss.createQueue(name, settings);
      const { deadLetter, ...rest } = settings ?? {};
      await boss.updateQueue(name, { ...rest, ...(deadLetter ? { deadLetter } : {}) });
    }
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
  return boss;
}

/** pg-boss's executor over the connection of one of our transactions: its jobs commit or roll back with our rows. */
export function executor(client: PoolClient): Db {
  return { executeSql: (text, values) => client.query(text, values) };
}

/** A service's group on the trigger queue, and its tier: pg-boss counts its active jobs across processes. */
export function serviceGroup(orgId: string, vsn: string): string {
  return JSON.stringify([orgId, vsn]);
}

/**
 * How many jobs a settling command (complete, fail, touch) changed: 0 when the attempt it names
 * is no longer the job's. pg-boss answers `{ jobs, requested, affected }`; its published type
 * leaves the fields out.
 */
export function affected(response: CommandResponse): number {
  return (response as { affected?: number }).affected ?? 0;
}
