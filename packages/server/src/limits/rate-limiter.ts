import type { RateConfig } from '../config/server-config';
import type { Clock } from '../time/clock';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets, one per key: a request takes a token; tokens flow back at `perSecond` up to
 * `burst`. Held in memory, so each process limits on its own: behind a load balancer spreading
 * over n processes, a client gets up to n times the rate.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /**
   * Takes a token for `key` if there is one. Resolves to `undefined` when there was, else to how
   * many seconds until there is one.
   */
  take(key: string, rate: RateConfig): number | undefined {
    const bucket = this.#refilled(key, rate);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return (1 - bucket.tokens) / rate.perSecond;
  }

  /** Like {@link take}, without taking: `undefined` while `key` has a token left. */
  wait(key: string, rate: RateConfig): number | undefined {
    const bucket = this.#refilled(key, rate);
    return bucket.tokens >= 1 ? undefined : (1 - bucket.tokens) / rate.perSecond;
  }

  #refilled(key: string, rate: RateConfig): Bucket {
    const now = this.clock.now();
    const bucket = this.#buckets.get(key) ?? { tokens: rate.burst, updatedAt: now };
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate.perSecond);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    return bucket;
  }
}
