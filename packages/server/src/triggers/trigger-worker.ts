import type { FastifyBaseLogger } from 'fastify';
import type { ServiceRegistry } from '../services/service-registry';
import type { Storage } from '../storage/storage';
import type { FinishedState, TriggerRecord } from '../storage/trigger-types';
import type { Clock } from '../support/clock';
import { drainWithin, type Cancellable } from '../support/drain';
import { runTrigger, type Outcome } from './run-trigger';

/** Settings of a {@link TriggerWorker}. */
export interface TriggerWorkerOptions {
  store: Storage;
  services: ServiceRegistry;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Names this process's leases; unique among the processes sharing the store. */
  workerId: string;
  leaseMs: number;
  pollIntervalMs: number;
  /** A trigger claimed more often than this (its workers kept dying) fails instead of running again. */
  maxAttempts: number;
  outputBytes: number;
  /** A fresh `webhook-id` for the callback of a trigger that finishes. */
  webhookId(): string;
  /** Told of every trigger this worker finished (its callback deliveries are queued by then). */
  onFinished(trigger: TriggerRecord, status: FinishedState): void;
}

interface Running extends Cancellable {
  trigger: TriggerRecord;
  serviceKey: string;
}

/**
 * Runs triggers: claims them from the store (on a wake-up after execute, and every poll interval
 * for work from other processes and expired leases), runs each within its service's limits,
 * renews its lease while it runs and writes its outcome, with its callback deliveries.
 */
export class TriggerWorker {
  readonly #options: TriggerWorkerOptions;
  readonly #running = new Map<string, Running>();
  readonly #runningPerService = new Map<string, number>();
  #pollTimer: NodeJS.Timeout | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #claiming: Promise<void> | undefined;
  #claimAgain = false;
  #stopped = true;

  constructor(options: TriggerWorkerOptions) {
    this.#options = options;
  }

  /** How many triggers this process is running. */
  get runningCount(): number {
    return this.#running.size;
  }

  /** Starts polling and renewing leases. */
  start(): void {
    this.#stopped = false;
    this.#pollTimer = setInterval(() => this.wake(), this.#options.pollIntervalMs);
    this.#renewTimer = setInterval(() => void this.#renewLeases(), Math.max(10, Math.floor(this.#options.leaseMs / 3)));
    this.#pollTimer.unref();
    this.#renewTimer.unref();
    this.wake();
  }

  /** Looks for work now, e.g. because a trigger was just written. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#claiming) {
      this.#claimAgain = true;
      return;
    }
    this.#claiming = new Promise((resolve) => setImmediate(() => resolve(this.#claim())));
  }

  /**
   * Stops claiming, waits up to `graceMs` for running triggers to finish, then gives the rest back
   * to the queue (they run again, here after a restart or in another process).
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#pollTimer);
    // Triggers a claim in flight leases are started, and so waited for like the others.
    await this.#claiming;
    const cutShort = await drainWithin(graceMs, () => [...this.#running.values()]);
    clearInterval(this.#renewTimer);
    if (cutShort > 0) {
      const released = await this.#options.store.triggers.releaseTriggers(this.#options.workerId);
      this.#options.log.info({ released }, 'running triggers given back to the queue');
    }
  }

  async #claim(): Promise<void> {
    const { store, services, clock, workerId, leaseMs, log } = this.#options;
    try {
      // The store holds each service to its concurrency across processes; a service this process
      // alone already fills is not even asked for.
      const capacity = services
        .all()
        .filter((service) => (this.#runningPerService.get(`${service.orgId}\n${service.vsn}`) ?? 0) < service.config.concurrency)
        .map((service) => ({ orgId: service.orgId, vsn: service.vsn, concurrency: service.config.concurrency }));
      if (capacity.length > 0 && !this.#stopped) {
        const claimed = await store.triggers.claimTriggers({ workerId, now: clock.now(), leaseMs, services: capacity });
        for (const trigger of claimed) this.#start(trigger);
      }
    } catch (error) {
      log.error({ err: error }, 'claiming triggers failed');
    } finally {
      this.#claiming = undefined;
      if (this.#claimAgain) {
        this.#claimAgain = false;
        this.wake();
      }
    }
  }

  #start(trigger: TriggerRecord): void {
    const serviceKey = `${trigger.orgId}\n${trigger.vsn}`;
    const stop = new AbortController();
    const running: Running = { trigger, serviceKey, stop, done: Promise.resolve() };
    this.#running.set(trigger.triggerUUID, running);
    this.#runningPerService.set(serviceKey, (this.#runningPerService.get(serviceKey) ?? 0) + 1);
    running.done = this.#run(trigger, stop.signal).finally(() => {
      this.#running.delete(trigger.triggerUUID);
      this.#runningPerService.set(serviceKey, (this.#runningPerService.get(serviceKey) ?? 1) - 1);
      this.wake();
    });
  }

  async #run(trigger: TriggerRecord, stop: AbortSignal): Promise<void> {
    const { store, services, clock, workerId, maxAttempts, outputBytes, webhookId, onFinished } = this.#options;
    const log = this.#options.log.child({ reqId: trigger.requestId, triggerUUID: trigger.triggerUUID });
    try {
      let outcome: Outcome | undefined;
      if (trigger.attempts > maxAttempts) {
        outcome = {
          status: 'failed',
          error: {
            scope: 'service',
            reason: 'Abandoned',
            message: `The trigger was interrupted ${maxAttempts} times and is not run again`,
          },
        };
      } else {
        // Claims only name configured services, so the service is there.
        const service = services.get(trigger.orgId, trigger.vsn)!;
        log.info({ vsn: trigger.vsn, attempt: trigger.attempts }, 'trigger running');
        outcome = await runTrigger(service, trigger, { stop, log, outputBytes });
      }
      if (!outcome) return;
      const written = await store.finishTrigger({
        triggerUUID: trigger.triggerUUID,
        workerId,
        finishedAt: clock.now(),
        webhookId: webhookId(),
        ...outcome,
      });
      if (written) {
        log.info({ status: outcome.status, error: outcome.error }, 'trigger finished');
        onFinished(trigger, outcome.status);
      } else {
        log.warn('the lease on the trigger was lost; another worker owns it now');
      }
    } catch (error) {
      // The lease runs out and another claim runs the trigger again.
      log.error({ err: error }, 'the outcome of the trigger could not be written');
    }
  }

  async #renewLeases(): Promise<void> {
    const { store, clock, workerId, leaseMs, log } = this.#options;
    for (const running of [...this.#running.values()]) {
      try {
        const held = await store.triggers.renewLease(running.trigger.triggerUUID, workerId, clock.now() + leaseMs);
        if (!held) running.stop.abort(new Error('the lease was lost'));
      } catch (error) {
        log.error({ err: error, triggerUUID: running.trigger.triggerUUID }, 'renewing a lease failed');
      }
    }
  }
}
