import type { Clock } from '../time/clock';

/** How far back finished triggers count towards the rate, in one-second buckets. */
export const drainWindowSeconds = 10;
const bucketMs = 1000;

interface Finishes {
  /** Finished triggers per second, in a ring indexed by the second they fell in. */
  counts: Uint32Array;
  /** The second each bucket holds, so a stale bucket reads as empty. */
  seconds: Float64Array;
  /** When measuring began: the server's start, or the end of the organisation's last idle spell. */
  since: number;
}

/**
 * Triggers finished per second, per organisation, by this process's workers over the last ten
 * seconds. Measuring starts again when the organisation's queue was found empty: finishes at the
 * pace of a trickle of requests say nothing of how fast a burst will drain.
 */
export class DrainRate {
  readonly #finishes = new Map<string, Finishes>();
  readonly #startedAt: number;

  constructor(private readonly clock: Clock) {
    this.#startedAt = clock.now();
  }

  /** Counts one finished trigger of `orgId`. */
  finished(orgId: string): void {
    const finishes = this.#of(orgId);
    const second = Math.floor(this.clock.now() / bucketMs);
    const index = second % drainWindowSeconds;
    if (finishes.seconds[index] !== second) {
      finishes.seconds[index] = second;
      finishes.counts[index] = 0;
    }
    finishes.counts[index]!++;
  }

  /** Forgets what `orgId` finished so far: its queue is empty. */
  restart(orgId: string): void {
    const finishes = this.#of(orgId);
    finishes.counts.fill(0);
    finishes.since = this.clock.now();
  }

  /** Triggers of `orgId` finished per second, or `undefined` while none finished in the window. */
  perSecond(orgId: string): number | undefined {
    const finishes = this.#finishes.get(orgId);
    if (!finishes) return undefined;
    const now = this.clock.now();
    const second = Math.floor(now / bucketMs);
    let count = 0;
    for (let index = 0; index < drainWindowSeconds; index++) {
      if (second - finishes.seconds[index]! < drainWindowSeconds) count += finishes.counts[index]!;
    }
    if (count === 0) return undefined;
    // The window reaches back to the start of its oldest bucket, or to when measuring began; a
    // millisecond at least, so that finishes within the same instant read as fast, not as nothing.
    const windowMs = (drainWindowSeconds - 1) * bucketMs + (now % bucketMs);
    const spanMs = Math.max(1, Math.min(windowMs, now - finishes.since));
    return (count * 1000) / spanMs;
  }

  /** The organisations with a measured rate, for the metrics. */
  *rates(): Iterable<[orgId: string, perSecond: number]> {
    for (const orgId of this.#finishes.keys()) {
      const perSecond = this.perSecond(orgId);
      if (perSecond !== undefined) yield [orgId, perSecond];
    }
  }

  #of(orgId: string): Finishes {
    let finishes = this.#finishes.get(orgId);
    if (!finishes) {
      finishes = {
        counts: new Uint32Array(drainWindowSeconds),
        seconds: new Float64Array(drainWindowSeconds).fill(-Infinity),
        since: this.#startedAt,
      };
      this.#finishes.set(orgId, finishes);
    }
    return finishes;
  }
}
