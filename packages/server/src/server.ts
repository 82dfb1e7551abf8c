import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { credentialsFrom } from './auth/credentials';
import { hashClientSecret } from './auth/secret-hash';
import { TokenService } from './auth/token-service';
import { UsageMeter } from './auth/usage-meter';
import type { ServerConfig } from './config/server-config';
import { buildApp } from './http/build-app';
import { createServiceRegistry } from './services/service-registry';
import { loadSpec } from './spec/load-spec';
import { SqliteStore } from './storage/sqlite/sqlite-store';
import type { Store } from './storage/store';
import { systemClock, type Clock } from './support/clock';
import { randomIds, type Ids } from './support/ids';
import { RetentionSweeper } from './triggers/retention-sweeper';
import { TriggerWorker } from './triggers/trigger-worker';

/** What a caller may put in place of the defaults, mostly for tests. */
export interface ServerOptions {
  /** The store; the configuration's SQLite file when absent. */
  store?: Store;
  clock?: Clock;
  ids?: Ids;
  /** Where the JSON log lines go; standard output when absent. */
  logDestination?: DestinationStream;
}

/** A running AutoFacilitate server. */
export interface AutoFacilitateServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly worker: TriggerWorker;
  readonly usage: UsageMeter;
  readonly retention: RetentionSweeper;
  /** Listens on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  /**
   * Stops gracefully: takes no more requests, lets running triggers finish for up to
   * `server.shutdownGraceMs` and gives the others back to the queue, saves the usage counts and
   * closes the store. Calling it again waits for the same stop.
   */
  close(): Promise<void>;
}

/**
 * Builds a server from a resolved configuration: the store, the services, the HTTP application
 * and, unless `workers.enabled` is false, the worker that runs triggers.
 */
export async function createServer(config: ServerConfig, options: ServerOptions = {}): Promise<AutoFacilitateServer> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const log = pino({ level: config.server.logLevel }, options.logDestination);
  const services = await createServiceRegistry(config);
  const store = options.store ?? new SqliteStore(config.storage.sqlite);
  const usage = new UsageMeter(store, clock);
  const worker = new TriggerWorker({
    store,
    services,
    clock,
    log: log.child({ component: 'worker' }),
    workerId: ids.workerId(),
    leaseMs: config.workers.leaseMs,
    pollIntervalMs: config.workers.pollIntervalMs,
    maxAttempts: config.workers.maxAttempts,
    outputBytes: config.limits.outputBytes,
  });
  const sweeper = new RetentionSweeper({
    store,
    clock,
    log: log.child({ component: 'retention' }),
    retentionSeconds: config.results.retentionSeconds,
    intervalSeconds: config.results.purgeIntervalSeconds,
  });
  let app: FastifyInstance;
  try {
    app = await buildApp({
      config,
      routes: loadSpec(),
      store,
      services,
      authentication: { tokens: new TokenService(store, clock, ids, config.tokens.ttlSeconds), credentials: credentialsFrom(config), usage },
      worker,
      decoySecretHash: await hashClientSecret(ids.accessToken()),
      clock,
      ids,
      log,
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  usage.start(config.usage.flushIntervalMs, log);
  sweeper.start();
  if (config.workers.enabled) worker.start();

  let closing: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    log.info('stopping');
    sweeper.stop();
    await app.close();
    await worker.stop(config.server.shutdownGraceMs);
    try {
      await usage.stop();
    } catch (error) {
      log.error({ err: error }, 'the last usage counts could not be saved');
    }
    await store.close();
    log.info('stopped');
  };
  return {
    app,
    store,
    worker,
    usage,
    retention: sweeper,
    listen: () => app.listen({ host: config.server.host, port: config.server.port }),
    close: () => (closing ??= stop()),
  };
}
