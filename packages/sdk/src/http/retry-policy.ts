import type { Random } from '../time/random';

/** How failed requests are retried. Every field is optional; `retry: false` turns retries off. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** The backoff scale: retry `n` waits a random time in [0, baseDelayMs × 2ⁿ). Default 200. */
  baseDelayMs?: number;
  /** The most a backoff wait can be, before `Retry-After` (which is honoured as sent). Default 20 000. */
  maxDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

const DEFAULTS: RetryPolicy = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 20_000 };

/** Fills in the defaults and checks the numbers. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULTS, maxRetries: 0 };
  const policy = { ...DEFAULTS, ...stripUndefined(options ?? {}) };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0)
      throw new TypeError(`retry.${name} must be a finite number ≥ 0, not ${String(value)}`);
  }
  if (!Number.isInteger(policy.maxRetries))
    throw new TypeError(`retry.maxRetries must be a whole number, not ${policy.maxRetries}`);
  return policy;
}

function stripUndefined(options: RetryOptions): RetryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): the
 * wait before retry `retry` (0-based) is uniform in [0, min(maxDelayMs, baseDelayMs × 2^retry)),
 * which spreads clients that failed together instead of having them retry together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: Random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/** Statuses that say "try again later": rate limiting and server failures. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
