/** Work under way that can be cut short: a trigger running, a callback being delivered. */
export interface Cancellable {
  stop: AbortController;
  done: Promise<void>;
}

/**
 * Graceful shutdown of work under way: waits up to `graceMs` for it to finish, then aborts what is
 * still running and waits for that to settle. `underWay` is read again after the grace period,
 * since work that finished has left it. Answers how many had to be cut short.
 */
export async function drainWithin(graceMs: number, underWay: () => Cancellable[]): Promise<number> {
  let graceTimer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    graceTimer = setTimeout(resolve, graceMs);
  });
  await Promise.race([Promise.all(underWay().map((work) => work.done)), grace]);
  clearTimeout(graceTimer);
  const left = underWay();
  for (const work of left) work.stop.abort(new Error('the server is stopping'));
  await Promise.all(left.map((work) => work.done));
  return left.length;
}
