import type { Clock } from '../time/clock';

/** Work under way that can be cut short: a trigger running, a callback being delivered. */
export interface Cancellable {
  stop: AbortController;
  done: Promise<void>;
}

/**
 * Graceful shutdown of work under way: waits up to `graceMs` for it to finish, then aborts what is
 * still running and waits for that to settle. Answers how many had to be cut short.
 * @param underWay - read again after the grace period, since work that finished has left it.
 */
export async function drainWithin(clock: Clock, graceMs: number, underWay: () => Cancellable[]): Promise<number> {
  if (underWay().length === 0) return 0;
  let graceTimer: unknown;
  const grace = new Promise<void>((resolve) => {
    graceTimer = clock.setTimeout(resolve, graceMs);
  });
  await Promise.race([Promise.all(underWay().map((work) => work.done)), grace]);
  clock.clearTimeout(graceTimer);
  const left = underWay();
  for (const work of left) work.stop.abort(new Error('the server is stopping'));
  await Promise.all(left.map((work) => work.done));
  return left.length;
}
