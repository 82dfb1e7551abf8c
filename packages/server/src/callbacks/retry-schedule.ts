import type { Random } from '../random/random';

// Each wait is spread by up to this share either way, so that callbacks that failed together (a
// receiver was down) do not all come back at the same moment.
const jitter = 0.2;

/**
 * The wait before the next attempt, after `attempt` attempts failed, or `undefined` when the
 * schedule is over. A receiver's `Retry-After` is honoured when it asks for longer than the
 * schedule, up to the schedule's longest wait, so that no receiver can hold a delivery for longer
 * than the schedule itself would.
 *
 * @param schedule - the waits after the first, second… attempt, in ms.
 */
export function nextAttemptDelay(
  schedule: readonly number[],
  attempt: number,
  retryAfterMs: number | undefined,
  random: Random,
): number | undefined {
  const wait = schedule[attempt - 1];
  if (wait === undefined) return undefined;
  const spread = Math.round(wait * (1 - jitter + 2 * jitter * random()));
  if (retryAfterMs === undefined) return spread;
  return Math.max(spread, Math.min(retryAfterMs, Math.max(...schedule)));
}

/** `Retry-After` in ms from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); `undefined` when unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
