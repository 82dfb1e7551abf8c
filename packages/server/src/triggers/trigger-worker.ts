import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { ServiceRegistry } from '../services/service-registry';
import type { Storage } from '../storage/storage';
import type { FinishedState, TriggerRecord } from '../storage/trigger-types';
import { ClaimLoop } from '../work/claim-loop';
import { EventLoopSlices, type TimeSlices } from '../work/time-slice';
import { withinTurn } from '../work/within-turn';
import type { Clock } from '../time/clock';
import { runTrigger, type Outcome } from './run-trigger';
import { startRunSpan } from '../tracing/run-span';
import { unrecordedTracer, type SpanStarter } from '../tracing/unrecorded-tracer';

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
  /** Starts the span of each run; spans carry the trace on but are not recorded when absent. */
  tracer?: SpanStarter;
  /** How long the worker claims and runs within one turn; a fair share of the event loop when absent. */
  slices?: TimeSlices;
}

/** What a {@link TriggerWorker} tells its listeners. */
export interface TriggerWorkerEvents {
  /** A claim's batch was leased: how many triggers, and how long the claim took. */
  claimed: [count: number, seconds: number];
  /** A trigger was claimed and runs here now. */
  running: [trigger: TriggerRecord];
  /** A trigger's outcome was written here, with its callback deliveries. */
  finished: [trigger: TriggerRecord, status: FinishedState];
}

interface Running {
  trigger: TriggerRecord;
  stop: AbortController;
}

/**
 * Runs triggers: claims them from the store, runs each within its service's limits, renews its
 * lease while it runs and writes its outcome, with its callback deliveries.
 */
export class TriggerWorker extends EventEmitter<TriggerWorkerEvents> {
  readonly #options: TriggerWorkerOptions;
  readonly #loop: ClaimLoop;
  readonly #running = new Map<string, Running>();
  readonly #runningPerService = new Map<string, number>();
  readonly #slices: TimeSlices;
  #renewTimer: unknown;
  #stopping = false;

  constructor(options: TriggerWorkerOptions) {
    super();
    this.#options = options;
    this.#slices = options.slices ?? new EventLoopSlices();
    this.#loop = new ClaimLoop({
      clock: options.clock,
      pollIntervalMs: options.pollIntervalMs,
      claim: () => this.#claim(),
      claimFailed: (error) => options.log.error({ err: error }, 'claiming triggers failed'),
    });
  }

  /** How many triggers this process is running. */
  get runningCount(): number {
    return this.#running.size;
  }

  /** Starts polling and renewing leases. */
  start(): void {
    const { clock, leaseMs } = this.#options;
    this.#stopping = false;
    this.#renewTimer = clock.setInterval(() => void this.#renewLeases(), Math.max(10, Math.floor(leaseMs / 3)));
    this.#loop.start();
  }

  /** Looks for work now, e.g. because a trigger was just written. */
  wake(): void {
    this.#loop.wake();
  }

  /**
   * Stops claiming, waits up to `graceMs` for running triggers to finish, then gives the rest back
   * to the queue (they run again, here after a restart or in another process).
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const cutShort = await this.#loop.stop(graceMs);
    this.#options.clock.clearInterval(this.#renewTimer);
    if (cutShort > 0) {
      const released = await this.#options.store.triggers.releaseTriggers(this.#options.workerId);
      this.#options.log.info({ released }, 'running triggers given back to the queue');
    }
  }

  /**
   * Claims what there is room for and starts it. Runs that all end within this turn of the event
   * loop (in-process services: echo, fail, modules that do not wait) have freed their slots by the
   * time the turn would end, so the worker claims again at once, for as long as its time slice
   * lasts; answers true when the slice ended with work perhaps left.
   */
  async #claim(): Promise<boolean> {
    const slice = this.#slices.begin();
    try {
      for (;;) {
        const started = await this.#claimBatch();
        if (started.length === 0 || this.#stopping || !(await withinTurn(Promise.all(started)))) return false;
        if (slice.over()) return true;
      }
    } finally {
      slice.end();
    }
  }

  /** Claims one batch and starts it; answers, for each trigger, when its slot is free again. */
  async #claimBatch(): Promise<Promise<void>[]> {
    const { store, services, clock, workerId, leaseMs } = this.#options;
    // The store holds each service to its concurrency across processes; a service this process
    // alone already fills is not even asked for.
    const capacity = services
      .all()
      .filter(
        (service) =>
          (this.#runningPerService.get(`${service.orgId}\n${service.vsn}`) ?? 0) < service.config.concurrency,
      )
      .map((service) => ({ orgId: service.orgId, vsn: service.vsn, concurrency: service.config.concurrency }));
    if (capacity.length === 0) return [];
    // Measured, not waited on: the time of the claim for the metrics.
    const startedAt = performance.now();
    const claimed = await store.triggers.claimTriggers({ workerId, now: clock.now(), leaseMs, services: capacity });
    this.emit('claimed', claimed.length, (performance.now() - startedAt) / 1000);
    return claimed.map((trigger) => this.#start(trigger));
  }

  /** Runs `trigger`; resolves once its slot is free again: its outcome handed to the store, or none. */
  #start(trigger: TriggerRecord): Promise<void> {
    const serviceKey = `${trigger.orgId}\n${trigger.vsn}`;
    this.#runningPerService.set(serviceKey, (this.#runningPerService.get(serviceKey) ?? 0) + 1);
    let released = false;
    let freed!: () => void;
    const slotFree = new Promise<void>((resolve) => (freed = resolve));
    const release = () => {
      if (released) return;
      released = true;
      this.#running.delete(trigger.triggerUUID);
      this.#runningPerService.set(serviceKey, (this.#runningPerService.get(serviceKey) ?? 1) - 1);
      freed();
      // The slot is free before the outcome is committed: claim into it now.
      this.#loop.wake();
    };
    const { stop } = this.#loop.run((signal) => this.#run(trigger, signal, release).finally(release));
    if (!released) this.#running.set(trigger.triggerUUID, { trigger, stop });
    this.emit('running', trigger);
    return slotFree;
  }

  /** Runs a trigger and writes its outcome; `release` frees its slot as the outcome is handed to the store. */
  async #run(trigger: TriggerRecord, stop: AbortSignal, release: () => void): Promise<void> {
    const { store, services, clock, workerId, maxAttempts, outputBytes, webhookId } = this.#options;
    const log = this.#options.log.child({ reqId: trigger.requestId, triggerUUID: trigger.triggerUUID });
    const span = startRunSpan(this.#options.tracer ?? unrecordedTracer, trigger);
    let outcome: Outcome | undefined;
    try {
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
        outcome = await runTrigger(service, trigger, { stop, log, outputBytes, clock, trace: span.trace });
      }
      if (!outcome) return;
      const finishing = store.finishTrigger({
        triggerUUID: trigger.triggerUUID,
        workerId,
        finishedAt: clock.now(),
        webhookId: webhookId(),
        ...outcome,
      });
      // Handed over: the next claim may take the slot (and, in the SQLite store, writes the outcome first).
      release();
      const written = await finishing;
      if (written) {
        // Ended before the listeners hear of it, so that the span is there to export.
        span.end(outcome);
        log.info({ status: outcome.status, error: outcome.error }, 'trigger finished');
        this.emit('finished', trigger, outcome.status);
      } else {
        log.warn('the lease on the trigger was lost; another worker owns it now');
      }
    } catch (error) {
      // The lease runs out and another claim runs the trigger again.
      log.error({ err: error }, 'the outcome of the trigger could not be written');
    } finally {
      span.end(outcome);
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
