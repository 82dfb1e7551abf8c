import type { RateConfig } from '../config/server-config';
import type { Clock } from '../time/clock';
import type { RateLimiter } from './rate-limiter';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * The token buckets of one process, in its memory: the SQLite store's, whose server is one
 * process. Shared by nothing else, so several processes would each allow the whole rate.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  async take(key: string, rate: RateConfig): Promise<number | undefined> {
    const bucket = this.#refilled(key, rate);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return (1 - bucket.tokens) / rate.perSecond;
  }

  async giveBack(key: string, rate: RateConfig): Promise<void> {
    const bucket = this.#refilled(key, rate);
    bucket.tokens = Math.min(rate.burst, bucket.tokens + 1);
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
