/**
 * Where the server reads the time and sets its timers: leases, polls, retries, timeouts, grace
 * periods and sweeps all go through it, so tests can move time by hand.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `ms` from now; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timeout; a handle already fired (or `undefined`) is ignored. */
  clearTimeout(handle: unknown): void;
  /** Calls `callback` every `ms`, in the background: it does not keep the process alive on its own. */
  setInterval(callback: () => void, ms: number): unknown;
  /** Cancels an interval; `undefined` is ignored. */
  clearInterval(handle: unknown): void;
}

// Timers take a signed 32-bit delay; a longer one would fire at once instead of late.
const longestDelayMs = 2 ** 31 - 1;
const delay = (ms: number) => Math.min(Math.max(ms, 0), longestDelayMs);

type Timer = ReturnType<typeof globalThis.setTimeout>;

/** The wall clock and the platform's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, delay(ms)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Timer | undefined),
  setInterval: (callback, ms) => globalThis.setInterval(callback, delay(ms)).unref(),
  clearInterval: (handle) => globalThis.clearInterval(handle as Timer | undefined),
};
