import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { feedAdminEvents } from './admin/admin-event-sources';
import { AdminEvents } from './admin/admin-events';
import { adminKeysFrom } from './auth/admin-keys';
import { CallerCache } from './auth/caller-cache';
import { credentialsFrom } from './auth/credentials';
import { hashClientSecret } from './auth/secret-hash';
import { TokenIssuer } from './auth/token-issuer';
import { UsageMeter } from './auth/usage-meter';
import { AddressGuard } from './callbacks/address-guard';
import { CallbackDeliverer } from './callbacks/callback-deliverer';
import { callbackSecretKey } from './callbacks/callback-secret';
import { CallbackTransport, type Connect } from './callbacks/callback-transport';
import type { ServerConfig } from './config/server-config';
import { buildApp } from './http/build-app';
import { DrainRate } from './limits/drain-rate';
import { QueueBound } from './limits/queue-bound';
import { createLogger } from './logging/create-logger';
import { ServerMetrics } from './metrics/server-metrics';
import { createServiceRegistry } from './services/service-registry';
import { loadSpec } from './spec/load-spec';
import { openStorage } from './storage/open-storage';
import type { Storage } from './storage/storage';
import { systemClock, type Clock } from './time/clock';
import { durationMs } from './time/duration';
import { randomIds, type Ids } from './random/ids';
import { mathRandom, type Random } from './random/random';
import { systemResolver, type Resolver } from './callbacks/resolver';
import { RetentionSweeper } from './triggers/retention-sweeper';
import { TriggerWorker } from './triggers/trigger-worker';
import { createTracing, type Tracing } from './tracing/tracing';
import { AdminSessions } from './console/admin-sessions';
import { roleRefusal, runsWork, takesRequests, type ServerRole } from './config/server-role';

/** What a caller may put in place of the defaults, mostly for tests. */
export interface ServerOptions {
  /** The storage; the configuration's (PostgreSQL with a URL, else its SQLite file) when absent. */
  store?: Storage;
  clock?: Clock;
  ids?: Ids;
  random?: Random;
  /** Resolves the host names of callback URLs; the operating system's resolver when absent. */
  resolver?: Resolver;
  /** Opens the connections of callback attempts; `net.connect` / `tls.connect` when absent. */
  connect?: Connect;
  /** Where the log lines go (JSON unless `server.logFormat` is `pretty`); standard output when absent. */
  logDestination?: DestinationStream;
  /**
   * What this process does (`serve --role`), and the `role` label of its cluster metrics: `all`
   * when absent; `api` and `worker` need PostgreSQL.
   */
  role?: ServerRole;
}

/** A running AutoFacilitate server. */
export interface AutoFacilitateServer {
  readonly app: FastifyInstance;
  readonly store: Storage;
  readonly worker: TriggerWorker;
  readonly deliverer: CallbackDeliverer;
  readonly usage: UsageMeter;
  readonly metrics: ServerMetrics;
  readonly retention: RetentionSweeper;
  /** The spans of execute, runs and callback attempts; `flush()` exports the ended ones now. */
  readonly tracing: Tracing;
  /** Listens on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  /**
   * Stops gracefully: takes no more requests, lets running triggers and callback attempts finish
   * for up to `server.shutdownGraceMs` and gives the others back to their queues, saves the usage
   * counts and closes the store. Calling it again waits for the same stop.
   */
  close(): Promise<void>;
}

/** The signing keys of each organisation, from its `whsec_` secrets (checked by the loader). */
function signingKeys(config: ServerConfig): Map<string, Buffer[]> {
  return new Map(
    Object.entries(config.organisations).map(([orgId, organisation]) => [
      orgId,
      (organisation.callbackSecrets ?? []).map((secret) => callbackSecretKey(secret)!),
    ]),
  );
}

/**
 * Wakes the worker and the deliverer when another process makes work due, where the store tells
 * (PostgreSQL); without it, or while it is down, they find that work by polling.
 */
async function listenForWork(
  store: Storage,
  worker: TriggerWorker,
  deliverer: CallbackDeliverer,
  log: FastifyBaseLogger,
): Promise<void> {
  try {
    await store.listenForWork?.({ triggers: () => worker.wake(), deliveries: () => deliverer.wake() });
  } catch (error) {
    log.warn({ err: error }, 'not listening for work of other processes: polling alone finds it');
  }
}

/**
 * Builds a server from a resolved configuration: the store, the services, the HTTP application,
 * and, unless switched off, the worker that runs triggers and the deliverer of their callbacks.
 * Its role picks among them: an `api` process runs no worker or deliverer, a `worker` process
 * answers its probes alone (`/healthz`, `/metrics`); refused on a store the role cannot share.
 */
export async function createServer(config: ServerConfig, options: ServerOptions = {}): Promise<AutoFacilitateServer> {
  const role = options.role ?? 'all';
  const refused = roleRefusal(role, config);
  if (refused) throw new Error(refused);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const log = createLogger(config.server, options.logDestination);
  const services = await createServiceRegistry(config, clock);
  const tracing = await createTracing(config.tracing);
  const { tracer } = tracing;
  let store: Storage;
  try {
    store =
      options.store ??
      (await openStorage(config, {
        clock,
        onIdleError: (error) => log.error({ err: error }, 'a PostgreSQL connection failed while idle'),
      }));
  } catch (error) {
    await tracing.shutdown();
    throw error;
  }
  const drain = new DrainRate(clock);
  const metrics = new ServerMetrics(store, Object.keys(config.organisations), drain, role);
  const usage = new UsageMeter(store.usage, clock, (orgId, apiKey, operationId) =>
    metrics.apiKeyCalls(orgId, apiKey, operationId),
  );
  const keys = signingKeys(config);
  const guard = new AddressGuard(config.callbacks.allow);
  const deliverer = new CallbackDeliverer({
    store,
    transport: new CallbackTransport({
      resolver: options.resolver ?? systemResolver,
      clock,
      guard,
      maxSockets: config.callbacks.concurrency,
      ...(options.connect ? { connect: options.connect } : {}),
    }),
    clock,
    random: options.random ?? mathRandom,
    log: log.child({ component: 'callbacks' }),
    workerId: ids.workerId(),
    keys: (orgId) => keys.get(orgId) ?? [],
    timeoutMs: config.callbacks.timeoutMs,
    concurrency: config.callbacks.concurrency,
    pollIntervalMs: config.callbacks.pollIntervalMs,
    retrySchedule: config.callbacks.retrySchedule.map(durationMs),
    observer: metrics,
    tracer,
  });
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
    webhookId: () => ids.webhookId(),
    tracer,
  });
  worker.on('claimed', (count, seconds) => metrics.triggersClaimed(count, seconds));
  worker.on('finished', (trigger, status) => {
    metrics.triggerFinished(trigger, status, clock.now());
    drain.finished(trigger.orgId);
    if (trigger.callbackUrls.length > 0) deliverer.wake();
  });
  const sweeper = new RetentionSweeper({
    store,
    clock,
    log: log.child({ component: 'retention' }),
    retentionSeconds: config.results.retentionSeconds,
    intervalSeconds: config.results.purgeIntervalSeconds,
  });
  const adminEvents = new AdminEvents();
  const created = feedAdminEvents(adminEvents, worker, deliverer, clock);
  const tokens = new TokenIssuer(store.tokens, clock, ids, config.tokens.ttlSeconds);
  let app: FastifyInstance;
  try {
    app = await buildApp({
      config,
      routes: await loadSpec(config.limits),
      store,
      authentication: {
        tokens,
        credentials: credentialsFrom(config),
        usage,
        callers: new CallerCache(),
        clock,
      },
      execute: {
        services,
        store,
        worker,
        clock,
        ids,
        executeRate: (orgId, clientId) =>
          config.organisations[orgId]?.clients[clientId]?.executeRate ?? config.limits.executeRate,
        rateLimiter: store.rateLimiter('execute', clock),
        queueBound: new QueueBound(
          store.triggers,
          clock,
          config.limits.queuedTriggers,
          { drain, maxWaitSeconds: config.limits.queueWaitSeconds },
          store.clustered,
        ),
        queueWaitSeconds: config.limits.queueWaitSeconds,
        guard,
        signsCallbacks: (orgId) => (keys.get(orgId)?.length ?? 0) > 0,
        idempotencyRetentionMs: config.idempotency.retentionSeconds * 1000,
        tracer,
        created,
      },
      admin: {
        authentication: {
          admin: adminKeysFrom(config),
          tokens,
          organisation: (orgId) => Object.hasOwn(config.organisations, orgId),
          sessions: new AdminSessions(clock, ids.accessToken),
        },
        store,
        services,
        organisations: config.organisations,
        usage,
        events: adminEvents,
        deliverer,
        clock,
        eventStreamSeconds: config.admin.eventStreamSeconds,
      },
      metrics,
      decoySecretHash: await hashClientSecret(ids.accessToken()),
      probesOnly: !takesRequests(role),
      ids,
      log,
    });
  } catch (error) {
    await store.close();
    await tracing.shutdown();
    throw error;
  }

  usage.start(config.usage.flushIntervalMs, log);
  if (runsWork(role)) {
    sweeper.start();
    if (config.workers.enabled) worker.start();
    if (config.callbacks.enabled) deliverer.start();
    await listenForWork(store, worker, deliverer, log);
  }
  log.info({ role }, 'serving');

  let closing: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    log.info('stopping');
    sweeper.stop();
    await app.close();
    await Promise.all([worker.stop(config.server.shutdownGraceMs), deliverer.stop(config.server.shutdownGraceMs)]);
    try {
      await usage.stop();
    } catch (error) {
      log.error({ err: error }, 'the last usage counts could not be saved');
    }
    await store.close();
    // The spans of the last runs and attempts leave before the process does.
    try {
      await tracing.shutdown();
    } catch (error) {
      log.error({ err: error }, 'the last spans could not be exported');
    }
    log.info('stopped');
  };
  return {
    app,
    store,
    worker,
    deliverer,
    usage,
    metrics,
    retention: sweeper,
    tracing,
    listen: () => app.listen({ host: config.server.host, port: config.server.port }),
    close: () => (closing ??= stop()),
  };
}
