import type { RateConfig } from '../config/server-config';

/**
 * Token buckets, one per key: a request takes a token; tokens flow back at `perSecond` up to
 * `burst`. The store chooses where the buckets live (`Storage.rateLimiter`): in the process's
 * memory on SQLite, whose server is one process; in the database on PostgreSQL, so that n
 * processes behind a load balancer still allow the rate once, not n times.
 */
export interface RateLimiter {
  /**
   * Takes a token for `key` if there is one. Resolves to `undefined` when there was, else to how
   * many seconds until there is one; rejects when the buckets cannot be read (fail closed).
   */
  take(key: string, rate: RateConfig): Promise<number | undefined>;
  /** Puts back a token taken for `key` that turned out not to be spent (a guess that was right). */
  giveBack(key: string, rate: RateConfig): Promise<void>;
}
