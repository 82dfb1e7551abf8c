import type { Clock } from '../time/clock';

/** How long a limit may take to check before the request is refused: a slow database must not hold requests. */
export const limitCheckDeadlineMs = 2000;

/** A limit that could not be checked: the store failed, or did not answer within the deadline. */
export class LimitUnchecked extends Error {
  override readonly name = 'LimitUnchecked';
}

/**
 * Resolves as `check` does within {@link limitCheckDeadlineMs} of the clock, else rejects with
 * `LimitUnchecked`, as it does when `check` fails. The check itself may still land later.
 */
export async function withinDeadline<T>(clock: Clock, what: string, check: Promise<T>): Promise<T> {
  let timer: unknown;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = clock.setTimeout(
      () => reject(new LimitUnchecked(`${what}: the store did not answer within ${limitCheckDeadlineMs} ms`)),
      limitCheckDeadlineMs,
    );
  });
  try {
    return await Promise.race([check, deadline]);
  } catch (error) {
    if (error instanceof LimitUnchecked) throw error;
    throw new LimitUnchecked(`${what}: ${(error as Error).message}`, { cause: error });
  } finally {
    clock.clearTimeout(timer);
  }
}
