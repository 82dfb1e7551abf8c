import type { Pool } from 'pg';
import type { RateConfig } from '../../config/server-config';
import type { RateLimiter } from '../../limits/rate-limiter';
import { withinDeadline } from '../../limits/within-deadline';
import type { Clock } from '../../time/clock';

// GCRA, the token bucket kept as one number per key: the theoretical arrival time (`tat`, in ms of
// the server's clock) of the next request at the sustained rate. A request is admitted when the
// bucket is not empty, `max(tat, now) + interval <= now + burst × interval`, and moves tat on by
// one interval. One upsert decides and writes under the row's lock: processes never both take the
// last token. The refusal's row is read in the same statement, for its Retry-After. Its commit does
// not wait for the disk (`relaxed`, read by whichever half answers, so that it is set): a bucket
// lost to a crash costs a few requests let through, while waiting would hold the row's lock, and
// every other request of the key, for an fsync.
const relaxed = "relaxed AS (SELECT set_config('synchronous_commit', 'off', true))";
const take = `
  WITH ${relaxed},
  taken AS (
    INSERT INTO rate_limits AS bucket (limit_key, tat) VALUES ($1, $2::float8 + $3::float8)
    ON CONFLICT (limit_key) DO UPDATE SET tat = greatest(bucket.tat, $2::float8) + $3::float8
      WHERE greatest(bucket.tat, $2::float8) + $3::float8 <= $2::float8 + $4::float8
    RETURNING tat
  )
  SELECT true AS taken, tat FROM taken, relaxed
  UNION ALL
  SELECT false, tat FROM rate_limits, relaxed WHERE limit_key = $1 AND NOT EXISTS (SELECT 1 FROM taken)`;

// A token given back moves tat back by one interval; a tat past now is a full bucket either way.
const giveBack = `WITH ${relaxed} UPDATE rate_limits SET tat = tat - $2::float8 FROM relaxed WHERE limit_key = $1`;

/** A full bucket's row says nothing a missing row does not: the purge removes them. */
export const forgetFullBuckets =
  'DELETE FROM rate_limits WHERE limit_key IN (SELECT limit_key FROM rate_limits WHERE tat <= $1 LIMIT $2)';

/** Milliseconds until a bucket whose tat is `tat` has a token at `now`; 0 or less when it has one. */
function waitMs(tat: number, now: number, intervalMs: number, burst: number): number {
  return Math.max(tat, now) + intervalMs - now - burst * intervalMs;
}

/**
 * The token buckets of every process on the database, one `rate_limits` row per key, so that the
 * rate holds for the cluster. Time is the server's injected clock, like the rest of its limits:
 * a process whose clock runs ahead by d moves the bucket's time on by d once, not on every request
 * (`greatest` keeps a clock that lags from moving tat back). A refusal is remembered: tat only grows but for tokens given back, so while
 * the last tat seen says the bucket is empty it is (or, after a give-back, nearly: the memory errs
 * towards refusing), and a flood of refused requests costs the database nothing.
 */
export class PostgresRateLimiter implements RateLimiter {
  readonly #refusedUntil = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    /** Which limit: its keys are apart from every other limit's. */
    private readonly name: string,
    private readonly clock: Clock,
  ) {}

  async take(key: string, rate: RateConfig): Promise<number | undefined> {
    const limitKey = `${this.name}\n${key}`;
    const now = this.clock.now();
    const intervalMs = 1000 / rate.perSecond;
    const known = this.#knownWait(limitKey, now, intervalMs, rate.burst);
    if (known !== undefined) return known;
    const { rows } = await withinDeadline(
      this.clock,
      `The ${this.name} rate limit`,
      this.pool.query<{ taken: boolean; tat: number }>(take, [limitKey, now, intervalMs, rate.burst * intervalMs]),
    );
    // No row: the first request of the key lost a race for its insert to one that emptied it.
    const { taken, tat } = rows[0] ?? { taken: false, tat: now + rate.burst * intervalMs };
    if (taken) return undefined;
    this.#refusedUntil.set(limitKey, tat);
    return waitMs(tat, now, intervalMs, rate.burst) / 1000;
  }

  async giveBack(key: string, rate: RateConfig): Promise<void> {
    const limitKey = `${this.name}\n${key}`;
    await withinDeadline(
      this.clock,
      `The ${this.name} rate limit`,
      this.pool.query(giveBack, [limitKey, 1000 / rate.perSecond]),
    );
  }

  // Seconds to wait by the last refusal seen, or `undefined` when the database must be asked.
  #knownWait(limitKey: string, now: number, intervalMs: number, burst: number): number | undefined {
    const tat = this.#refusedUntil.get(limitKey);
    if (tat === undefined) return undefined;
    const wait = waitMs(tat, now, intervalMs, burst);
    if (wait > 0) return wait / 1000;
    this.#refusedUntil.delete(limitKey);
    return undefined;
  }
}
