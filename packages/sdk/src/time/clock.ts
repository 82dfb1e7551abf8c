/**
 * The time source the SDK reads and waits on: token expiry, backoff, `Retry-After`, polling and
 * deadlines all go through it. Pass your own (option `clock`) to run those deterministically in
 * tests, without real waiting.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a callback scheduled with {@link Clock.setTimeout}; a handle already fired is ignored. */
  clearTimeout(handle: unknown): void;
}

// Timers take a signed 32-bit delay; anything longer fires at once instead of never.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** The real clock: `Date.now` and the platform's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, Math.min(Math.max(ms, 0), LONGEST_TIMER_MS)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
