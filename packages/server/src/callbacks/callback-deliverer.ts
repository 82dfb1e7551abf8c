import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { DeliveryAttempt, DeliveryState } from '../storage/delivery-types';
import type { Storage } from '../storage/storage';
import type { ClaimedDelivery } from '../storage/unit-of-work';
import { ClaimLoop } from '../work/claim-loop';
import type { Clock } from '../time/clock';
import type { Random } from '../random/random';
import { callbackPayload } from './callback-payload';
import { CallbackFailure, type CallbackFailureKind } from '../errors/catalogue';
import type { CallbackTransport } from './callback-transport';
import { answerVerdict, type DeliveryVerdict } from './delivery-verdict';
import { nextAttemptDelay, retryAfterMs } from './retry-schedule';
import { webhookSignature } from './webhook-signature';
import { startDeliverySpan } from '../tracing/delivery-span';
import { unrecordedTracer, type SpanStarter } from '../tracing/unrecorded-tracer';

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
  /** Starts the span of each attempt; spans carry the trace on but are not recorded when absent. */
  tracer?: SpanStarter;
}

/** What a {@link CallbackDeliverer} tells its listeners. */
export interface CallbackDelivererEvents {
  /** An attempt was recorded here; `status` is where it left the delivery. */
  attempted: [claimed: ClaimedDelivery, attempt: DeliveryAttempt, status: DeliveryState];
}

// For the logs: a callback URL's query may carry the receiver's own token.
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * Delivers callbacks, at least once: claims due deliveries from the store with a lease, POSTs each
 * signed, and records every attempt with what follows: delivered, gone, or failed with the next
 * attempt scheduled, until the schedule is over.
 */
export class CallbackDeliverer extends EventEmitter<CallbackDelivererEvents> {
  readonly #options: CallbackDelivererOptions;
  readonly #leaseMs: number;
  readonly #loop: ClaimLoop;

  constructor(options: CallbackDelivererOptions) {
    super();
    this.#options = options;
    // Long enough for an attempt and its record; a deliverer that died loses its deliveries after it.
    this.#leaseMs = 2 * options.timeoutMs + 1000;
    this.#loop = new ClaimLoop({
      clock: options.clock,
      pollIntervalMs: options.pollIntervalMs,
      claim: () => this.#claim(),
      claimFailed: (error) => options.log.error({ err: error }, 'claiming callback deliveries failed'),
    });
  }

  /** Starts polling. */
  start(): void {
    this.#loop.start();
  }

  /** Looks for due deliveries now, e.g. because a trigger with callback URLs just finished. */
  wake(): void {
    this.#loop.wake();
  }

  /**
   * Stops claiming, lets attempts under way finish for up to `graceMs` (each is bounded by the
   * timeout anyway), then cuts the others short and gives their deliveries back, due at once.
   */
  async stop(graceMs: number): Promise<void> {
    const cutShort = await this.#loop.stop(graceMs);
    if (cutShort > 0) {
      const released = await this.#options.store.deliveries.releaseDeliveries(
        this.#options.workerId,
        this.#options.clock.now(),
      );
      this.#options.log.info({ released }, 'callback deliveries under way given back');
    }
    this.#options.transport.close();
  }

  async #claim(): Promise<boolean> {
    const { store, clock, workerId, concurrency } = this.#options;
    const free = concurrency - this.#loop.size;
    if (free <= 0) return false;
    const claimed = await store.claimDeliveries({ workerId, now: clock.now(), leaseMs: this.#leaseMs, limit: free });
    for (const delivery of claimed) this.#loop.run((stop) => this.#attempt(delivery, stop));
    // A full batch may have left more that are due.
    return claimed.length === free;
  }

  async #attempt(claimed: ClaimedDelivery, stop: AbortSignal): Promise<void> {
    const { delivery, trigger } = claimed;
    const { store, transport, clock, random, workerId, keys, timeoutMs, retrySchedule, observer } = this.#options;
    const log = this.#options.log.child({
      reqId: trigger.requestId,
      triggerUUID: trigger.triggerUUID,
      webhookId: delivery.webhookId,
    });
    const span = startDeliverySpan(this.#options.tracer ?? unrecordedTracer, delivery, trigger);
    const startedAt = clock.now();
    let verdict: DeliveryVerdict;
    let statusCode: number | undefined;
    let outcome: AttemptOutcome;
    try {
      const signingKeys = keys(delivery.orgId);
      if (signingKeys.length === 0)
        throw new CallbackFailure('refused', `not sent: the organisation ${delivery.orgId} has no callback secret`);
      const body = callbackPayload(trigger);
      const timestamp = String(Math.floor(startedAt / 1000));
      const answer = await transport.send({
        url: delivery.url,
        body,
        timeoutMs,
        signal: stop,
        headers: {
          ...span.headers,
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
      if (stop.aborted) return span.end(undefined, undefined);
      const failure = error instanceof CallbackFailure ? error : new CallbackFailure('network', String(error));
      verdict = { outcome: 'failed', error: failure.message };
      outcome = failure.kind;
    }
    span.end(outcome, statusCode);
    const durationMs = clock.now() - startedAt;
    const attempt: DeliveryAttempt = { attempt: delivery.attempts, startedAt, durationMs };
    if (statusCode !== undefined) attempt.statusCode = statusCode;
    let status: DeliveryState = verdict.outcome;
    if (verdict.outcome !== 'delivered') {
      attempt.error = verdict.error;
      // An address the guard refuses stays refused: the failure is final, with its reason.
      if (verdict.outcome === 'failed' && outcome !== 'refused') {
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
      const written = await store.deliveries.recordDeliveryAttempt({
        deliveryId: delivery.deliveryId,
        workerId,
        attempt,
        status,
      });
      if (!written) {
        log.warn(
          { url, attempt: attempt.attempt },
          'the lease on the callback delivery was lost; another deliverer owns it now',
        );
        return;
      }
    } catch (error) {
      // The lease runs out and another claim makes the attempt again.
      log.error({ err: error, url }, 'the callback attempt could not be recorded');
      return;
    }
    if (status === 'pending') {
      log.info(
        { url, attempt: attempt.attempt, statusCode, error: attempt.error, retryAt: attempt.retryAt },
        'callback attempt failed; it will be retried',
      );
      this.#loop.wakeAt(attempt.retryAt!);
    } else {
      observer.ended(status, (startedAt + durationMs - (trigger.finishedAt ?? startedAt)) / 1000);
      if (status === 'delivered') log.info({ url, attempt: attempt.attempt, statusCode }, 'callback delivered');
      else
        log.warn(
          { url, attempt: attempt.attempt, statusCode, error: attempt.error },
          status === 'gone' ? 'callback refused for good by its receiver (410)' : 'callback failed: no attempt left',
        );
    }
    this.emit('attempted', claimed, attempt, status);
  }
}
