import type { TriggerStore } from '../storage/trigger-store';
import type { Clock } from '../time/clock';
import type { DrainRate } from './drain-rate';
import { withinDeadline } from './within-deadline';

interface Known {
  count: number;
  countedAt: number;
}

// How long a count of an organisation's unfinished triggers is trusted before the store is asked
// again: counting on every execute would cost more than the trigger's own write.
const recountAfterMs = 250;
// What a full queue asks callers to wait while no drain rate is measured (workers in other
// processes, or none finished lately): long enough for a queue to drain somewhat.
const unmeasuredRetryAfterSeconds = 5;

/** How the workers' pace bounds the queue: refused once it would take longer than `maxWaitSeconds` to drain. */
export interface QueuePace {
  drain: DrainRate;
  maxWaitSeconds: number;
}

/**
 * Why a trigger was not admitted: the organisation has `queuedTriggers` unfinished (`full`), or
 * those ahead would take longer than the longest wait to drain at the measured rate (`slow`).
 */
export interface QueueRefusal {
  reason: 'full' | 'slow';
  retryAfterSeconds: number;
  /** Seconds the triggers ahead would take to drain at the measured rate, when it is measured. */
  waitSeconds: number | undefined;
}

/** Seconds `unfinished` triggers take to drain at `perSecond`, or `undefined` without a rate. */
export function queueWaitSeconds(unfinished: number, perSecond: number | undefined): number | undefined {
  return perSecond === undefined ? undefined : unfinished / perSecond;
}

/**
 * The bound on an organisation's unfinished (queued or running) triggers: at most `max`, and,
 * once the workers' pace is measured, no more than they drain within the longest wait, so that a
 * client is told to come back before its trigger would wait long rather than after. The store's
 * count is trusted for a quarter second and the triggers this process admits since are added to
 * it, so the bound holds exactly for a server that is one process. In a cluster the others admit
 * too: a count up to a quarter second old may still refuse (the queue only drains meanwhile, so
 * that errs towards refusing), but only a count taken for the admission admits. The bound then
 * holds for the cluster to within the executes in flight between their count and their write,
 * whatever the number of processes; requests arriving together share one count.
 */
export class QueueBound {
  readonly #known = new Map<string, Known>();
  readonly #counting = new Map<string, Promise<Known>>();

  constructor(
    private readonly store: TriggerStore,
    private readonly clock: Clock,
    private readonly max: number,
    private readonly pace?: QueuePace,
    /** Whether other processes write triggers to the store too (PostgreSQL). */
    private readonly cluster = false,
  ) {}

  /**
   * Admits one more trigger of `orgId`, or says why not and when to try again; rejects with
   * `LimitUnchecked` when the store cannot count.
   */
  async admit(orgId: string): Promise<true | QueueRefusal> {
    let known = this.#known.get(orgId);
    const trusted = known !== undefined && this.clock.now() - known.countedAt < recountAfterMs;
    if (!trusted) known = await this.#count(orgId);
    let refusal = this.#refusal(orgId, known!.count);
    if (!refusal && trusted && this.cluster) {
      known = await this.#count(orgId);
      refusal = this.#refusal(orgId, known.count);
    }
    if (refusal) return refusal;
    known!.count++;
    return true;
  }

  #refusal(orgId: string, count: number): QueueRefusal | undefined {
    const perSecond = this.pace?.drain.perSecond(orgId);
    const waitSeconds = queueWaitSeconds(count, perSecond);
    if (count >= this.max) {
      const retryAfterSeconds = queueWaitSeconds(count - this.max + 1, perSecond);
      return { reason: 'full', retryAfterSeconds: retryAfterSeconds ?? unmeasuredRetryAfterSeconds, waitSeconds };
    }
    if (waitSeconds !== undefined && waitSeconds > this.pace!.maxWaitSeconds) {
      // Once that much has drained, the wait is within bounds again.
      return { reason: 'slow', retryAfterSeconds: waitSeconds - this.pace!.maxWaitSeconds, waitSeconds };
    }
    return undefined;
  }

  /** Forgets an admitted trigger that was not written after all. */
  withdraw(orgId: string): void {
    const known = this.#known.get(orgId);
    if (known && known.count > 0) known.count--;
  }

  // One count at a time per organisation, shared by the requests that need it.
  #count(orgId: string): Promise<Known> {
    let counting = this.#counting.get(orgId);
    if (!counting) {
      const countedAt = this.clock.now();
      counting = withinDeadline(this.clock, 'The queue bound', this.store.countUnfinishedTriggers(orgId))
        .then((count) => {
          // An empty queue: what drained before says nothing of how fast the next burst drains.
          if (count === 0) this.pace?.drain.restart(orgId);
          const known = { count, countedAt };
          this.#known.set(orgId, known);
          return known;
        })
        .finally(() => this.#counting.delete(orgId));
      this.#counting.set(orgId, counting);
    }
    return counting;
  }
}
