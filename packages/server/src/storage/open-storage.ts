import type { ServerConfig } from '../config/server-config';
import { systemClock, type Clock } from '../time/clock';
import type { Storage } from './storage';
import { SqliteStorage } from './sqlite/sqlite-storage';

/** How a process opens its store, beside what the configuration says. */
export interface OpenStorageOptions {
  clock?: Clock;
  /** PostgreSQL: the connections this process opens, in place of `storage.postgres.poolSize`. */
  poolSize?: number;
  /** PostgreSQL: told of a connection that failed while idle. */
  onIdleError?: (error: Error) => void;
}

/**
 * Opens the configuration's store: PostgreSQL when it has a URL, else the embedded SQLite file.
 * The PostgreSQL adapter (and pg-boss with it) is loaded only then, so a SQLite server never
 * starts its timers or pays for its import. Either takes its time from the clock, pg-boss too
 * (see engine-clock.ts).
 */
export async function openStorage(
  config: Pick<ServerConfig, 'storage' | 'workers' | 'callbacks'>,
  options: OpenStorageOptions = {},
): Promise<Storage> {
  const { url, poolSize } = config.storage.postgres;
  if (!url) return new SqliteStorage({ ...config.storage.sqlite, clock: options.clock ?? systemClock });
  const [{ PostgresStorage }, { engineClock }] = await Promise.all([
    import('./postgres/postgres-storage'),
    import('./postgres/engine-clock'),
  ]);
  return PostgresStorage.open({
    url,
    poolSize: options.poolSize ?? poolSize,
    ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
    // The leases of the configuration are the jobs' on pg-boss: a dead worker's trigger comes
    // back once its heartbeat lapses (pg-boss's shortest is 10 s), a dead deliverer's attempt once
    // its job expires, as long after as the deliverer's own lease.
    queue: {
      heartbeatSeconds: Math.max(10, Math.ceil(config.workers.leaseMs / 1000)),
      deliveryExpireSeconds: Math.ceil((2 * config.callbacks.timeoutMs + 1000) / 1000),
      ...(options.clock ? { clock: engineClock(options.clock) } : {}),
    },
  });
}
