import type { Clock } from '../time/clock';

/**
 * One deadline for a whole call (token fetch, every attempt, every backoff wait, every poll),
 * combined with the caller's signal. `signal` aborts when either fires; its reason is the
 * caller's own reason, or the error `onTimeout` builds.
 */
export class Deadline {
  /** Aborts when the deadline passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #clock: Clock;
  readonly #expiresAt: number;
  readonly #timer: unknown;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = () => this.#controller.abort(this.#parent?.reason);

  /**
   * @param timeoutMs - the budget; `Infinity` for none.
   * @param onTimeout - builds the reason `signal` aborts with when the budget runs out.
   */
  constructor(clock: Clock, timeoutMs: number, parent: AbortSignal | undefined, onTimeout: () => unknown) {
    this.signal = this.#controller.signal;
    this.#clock = clock;
    this.#expiresAt = clock.now() + timeoutMs;
    this.#parent = parent;
    if (parent?.aborted) this.#controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    this.#timer =
      Number.isFinite(timeoutMs) && !this.signal.aborted
        ? clock.setTimeout(() => this.#controller.abort(onTimeout()), timeoutMs)
        : undefined;
  }

  /**
   * Whether anything can abort the call (a finite deadline or a caller's signal). When nothing can,
   * requests are sent without a signal: fetch's abort bookkeeping is a cost worth skipping.
   */
  get abortable(): boolean {
    return this.#timer !== undefined || this.#parent !== undefined;
  }

  /** Milliseconds left before the deadline (`Infinity` when there is none). */
  remainingMs(): number {
    return this.#expiresAt - this.#clock.now();
  }

  /** Releases the timer and the listener on the caller's signal. Call once the call has settled. */
  dispose(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
