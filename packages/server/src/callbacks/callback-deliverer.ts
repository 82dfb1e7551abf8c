import type { FastifyBaseLogger } from 'fastify';
import type { DeliveryAttempt, DeliveryState } from '../storage/delivery-types';
import type { Storage } from '../storage/storage';
import type { ClaimedDelivery } from '../storage/unit-of-work';
import type { Clock } from '../support/clock';
import type { Random } from '../support/random';
import { callbackPayload } from './callback-payload';
import { CallbackFailure, type CallbackFailureKind } from '../errors/catalogue';
import type { CallbackTransport } from './callback-transport';
import { answerVerdict, type DeliveryVerdict } from './delivery-verdict';
import { nextAttemptDelay, retryAfterMs } from './retry-schedule';
import { webhookSignature } from './webhook-signature';
import { drainWithin, type Cancellable } from '../support/drain';

/** How one attempt went, as metrics count it. */
export type AttemptOutcome = 'delivered' | 'gone' | 'rejected' | CallbackFailureKind;

/** Told of every attempt and of every delivery that ended. */
export interface DeliveryObserver {
  attempted(outcome: AttemptOutcome, seconds: number): void;
  /** @param seconds - from the trigger's end to the delivery's. */
  ended(state: Exclude<DeliveryState, 'pending'>, seconds: number): void;
}

/** Settings of a {@link CallbackDeliverer}. */
export interface CallbackDelivererOptions {
  store: Storage;
  transport: CallbackTransport;
  clock: Clock;
  random: Random;
  log: FastifyBaseLogger;
  /** Names this process's leases; unique among the processes sharing the store. */
  workerId: string;
  /** The signing keys of an organisation (empty when it has none). */
  keys(orgId: string): readonly Buffer[];
  timeoutMs: number;
  concurrency: number;
  pollIntervalMs: number;
  /** The waits after the first, second… failed attempt, in ms. */
  retrySchedule: readonly number[];
  observer: DeliveryObserver;
}

type InFlight = Cancellable;

// For the logs: a callback URL's query may carry the receiver's own token.
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * Delivers callbacks, at least once: claims due deliveries from the store with a lease (on a
 * wake-up when a trigger finished, when a retry falls due, and every poll interval for the work
 * of other processes and expired leases), POSTs each signed, and records every attempt with what
 * follows: delivered, gone, or failed with the next attempt scheduled, until the schedule is over.
 */
export class CallbackDeliverer {
  readonly #options: CallbackDelivererOptions;
  readonly #leaseMs: number;
  readonly #inFlight = new Map<number, InFlight>();
  #pollTimer: NodeJS.Timeout | undefined;
  #dueTimer: NodeJS.Timeout | undefined;
  #dueAt = Infinity;
  #claiming: Promise<void> | undefined;
  #claimAgain = false;
  #stopped = true;

  constructor(options: CallbackDelivererOptions) {
    this.#options = options;
    // Long enough for an attempt and its record; a deliverer that died loses its deliveries after it.
    this.#leaseMs = 2 * options.timeoutMs + 1000;
  }

  /** Starts polling. */
  start(): void {
    this.#stopped = false;
    this.#pollTimer = setInterval(() => this.wake(), this.#options.pollIntervalMs);
    this.#pollTimer.unref();
    this.wake();
  }

  /** Looks for due deliveries now, e.g. because a trigger with callback URLs just finished. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#claiming) {
      this.#claimAgain = true;
      return;
    }
    this.#claiming = new Promise((resolve) => setImmediate(() => resolve(this.#claim())));
  }

  /**
   * Stops claiming, lets attempts under way finish for up to `graceMs` (each is bounded by the
   * timeout anyway), then cuts the others short and gives their deliveries back, due at once.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#pollTimer);
    clearTimeout(this.#dueTimer);
    await this.#claiming;
    const cutShort = await drainWithin(graceMs, () => [...this.#inFlight.values()]);
    if (cutShort > 0) {
      const released = await this.#options.store.deliveries.releaseDeliveries(this.#options.workerId, this.#options.clock.now());
      this.#options.log.info({ released }, 'callback deliveries under way given back');
    }
    this.#options.transport.close();
  }

  async #claim(): Promise<void> {
    const { store, clock, workerId, concurrency, log } = this.#options;
    try {
      const free = concurrency - this.#inFlight.size;
      if (free > 0 && !this.#stopped) {
        const claimed = await store.claimDeliveries({ workerId, now: clock.now(), leaseMs: this.#leaseMs, limit: free });
        for (const delivery of claimed) this.#start(delivery);
        // A full batch may have left more that are due.
        if (claimed.length === free) this.#claimAgain = true;
      }
    } catch (error) {
      log.error({ err: error }, 'claiming callback deliveries failed');
    } finally {
      this.#claiming = undefined;
      if (this.#claimAgain) {
        this.#claimAgain = false;
        this.wake();
      }
    }
  }

  #start(claimed: ClaimedDelivery): void {
    const stop = new AbortController();
    const inFlight: InFlight = { stop, done: Promise.resolve() };
    this.#inFlight.set(claimed.delivery.deliveryId, inFlight);
    inFlight.done = this.#attempt(claimed, stop.signal).finally(() => {
      this.#inFlight.delete(claimed.delivery.deliveryId);
      this.wake();
    });
  }

  /** Wakes up when the earliest retry this process scheduled falls due. */
  #wakeAt(time: number): void {
    if (this.#stopped || time >= this.#dueAt) return;
    clearTimeout(this.#dueTimer);
    this.#dueAt = time;
    this.#dueTimer = setTimeout(() => {
      this.#dueAt = Infinity;
      this.wake();
    }, Math.max(0, time - this.#options.clock.now()));
    this.#dueTimer.unref();
  }

  async #attempt({ delivery, trigger }: ClaimedDelivery, stop: AbortSignal): Promise<void> {
    const { store, transport, clock, random, workerId, keys, timeoutMs, retrySchedule, observer } = this.#options;
    const log = this.#options.log.child({ reqId: trigger.requestId, triggerUUID: trigger.triggerUUID, webhookId: delivery.webhookId });
    const startedAt = clock.now();
    let verdict: DeliveryVerdict;
    let statusCode: number | undefined;
    let outcome: AttemptOutcome;
    try {
      const signingKeys = keys(delivery.orgId);
      if (signingKeys.length === 0) throw new CallbackFailure('refused', `not sent: the organisation ${delivery.orgId} has no callback secret`);
      const body = callbackPayload(trigger);
      const timestamp = String(Math.floor(startedAt / 1000));
      const answer = await transport.send({
        url: delivery.url,
        body,
        timeoutMs,
        signal: stop,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'autofacilitate-server',
          'webhook-id': delivery.webhookId,
          'webhook-timestamp': timestamp,
          'webhook-signature': webhookSignature(signingKeys, delivery.webhookId, timestamp, body),
        },
      });
      statusCode = answer.statusCode;
      verdict = answerVerdict(answer);
      outcome = verdict.outcome === 'failed' ? 'rejected' : verdict.outcome;
    } catch (error) {
      // Given back by stop(): the next claim makes this attempt again.
      if (stop.aborted) return;
      const failure = error instanceof CallbackFailure ? error : new CallbackFailure('network', String(error));
      verdict = { outcome: 'failed', error: failure.message };
      outcome = failure.kind;
    }
    const durationMs = clock.now() - startedAt;
    const attempt: DeliveryAttempt = { attempt: delivery.attempts, startedAt, durationMs };
    if (statusCode !== undefined) attempt.statusCode = statusCode;
    let status: DeliveryState = verdict.outcome;
    if (verdict.outcome !== 'delivered') {
      attempt.error = verdict.error;
      if (verdict.outcome === 'failed') {
        const asked = 'retryAfter' in verdict ? retryAfterMs(verdict.retryAfter, startedAt + durationMs) : undefined;
        const delay = nextAttemptDelay(retrySchedule, delivery.attempts, asked, random);
        if (delay !== undefined) {
          attempt.retryAt = startedAt + durationMs + delay;
          status = 'pending';
        }
      }
    }
    observer.attempted(outcome, durationMs / 1000);
    const url = withoutQuery(delivery.url);
    try {
      const written = await store.deliveries.recordDeliveryAttempt({ deliveryId: delivery.deliveryId, workerId, attempt, status });
      if (!written) {
        log.warn({ url, attempt: attempt.attempt }, 'the lease on the callback delivery was lost; another deliverer owns it now');
        return;
      }
    } catch (error) {
      // The lease runs out and another claim makes the attempt again.
      log.error({ err: error, url }, 'the callback attempt could not be recorded');
      return;
    }
    if (status === 'pending') {
      log.info({ url, attempt: attempt.attempt, statusCode, error: attempt.error, retryAt: attempt.retryAt }, 'callback attempt failed; it will be retried');
      this.#wakeAt(attempt.retryAt!);
      return;
    }
    observer.ended(status, (startedAt + durationMs - (trigger.finishedAt ?? startedAt)) / 1000);
    if (status === 'delivered') log.info({ url, attempt: attempt.attempt, statusCode }, 'callback delivered');
    else log.warn({ url, attempt: attempt.attempt, statusCode, error: attempt.error }, status === 'gone' ? 'callback refused for good by its receiver (410)' : 'callback failed: no attempt left');
  }
}
