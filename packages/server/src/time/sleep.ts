import type { Clock } from './clock';

/** Resolves `ms` from now on `clock`; rejects with the signal's reason once `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    // No wait, no timer: a run that sleeps 0 ms ends within its turn, like any in-process run.
    if (ms <= 0) return resolve();
    const abort = () => {
      clock.clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}
