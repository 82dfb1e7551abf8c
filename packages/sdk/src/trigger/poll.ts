import type { Clock } from '../time/clock';
import type { Random } from '../time/random';
import { sleep } from '../time/sleep';
import type { TriggerFinished, TriggerOutcome, TriggerPending } from './outcome';

/** How {@link pollUntilFinished} paces itself. */
export interface PollPacing {
  /** The first wait between polls, in ms. */
  initialIntervalMs: number;
  /** The longest wait between polls, in ms. */
  maxIntervalMs: number;
}

/**
 * The wait before poll `n + 1`: exponential backoff with equal jitter, so waiting clients spread
 * out but none polls much sooner than the schedule says.
 */
export function pollDelay(pacing: PollPacing, poll: number, random: Random): number {
  const ceiling = Math.min(pacing.maxIntervalMs, pacing.initialIntervalMs * 2 ** poll);
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Asks for the result until the trigger has finished. Waits what the server's `Retry-After` says
 * when it says (and it is not 0), else {@link pollDelay}. Errors from `getResult` end the wait at once (its own retry
 * policy has already dealt with what is worth retrying), and so does `signal`.
 */
export async function pollUntilFinished(
  getResult: () => Promise<TriggerOutcome>,
  onProgress: ((progress: TriggerPending) => void) | undefined,
  pacing: PollPacing,
  clock: Clock,
  random: Random,
  signal: AbortSignal,
): Promise<TriggerFinished> {
  for (let poll = 0; ; poll++) {
    const outcome = await getResult();
    if (outcome.done) return outcome;
    onProgress?.(outcome);
    // `Retry-After: 0` is no advice at all: polling again at once would be a busy loop.
    await sleep(clock, outcome.retryAfterMs || pollDelay(pacing, poll, random), signal);
  }
}
