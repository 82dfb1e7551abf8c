import type { Clock } from '@autofacilitate/sdk';

interface Timer {
  id: number;
  due: number;
  callback: () => void;
}

// Turns of the real event loop to let in-memory I/O settle before virtual time moves on.
const SETTLE_TURNS = 5;
const MAX_STEPS = 100_000;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock whose time moves only when told, or when `run` finds everything waiting on a timer.
 * Every wait the SDK asks for is recorded in `waits`, so backoff and polling are asserted exactly.
 */
export class VirtualClock implements Clock {
  /** Every delay passed to setTimeout, in order. */
  readonly waits: number[] = [];
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1, 12)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.waits.push(ms);
    this.#timers.push({ id, due: this.#now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet fired nor cleared. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const next = this.#earliest();
      if (!next || next.due > until) break;
      this.#fire(next);
    }
    this.#now = until;
  }

  /**
   * Settles `promise`, jumping to the next timer whenever nothing else is happening: waits take
   * no real time, and a deadline fires only when everything is stuck until it.
   */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (let step = 0; !settled; step++) {
      if (step > MAX_STEPS) throw new Error('VirtualClock.run: the promise never settled');
      for (let index = 0; index < SETTLE_TURNS && !settled; index++) await turn();
      const next = this.#earliest();
      if (!settled && next) this.#fire(next);
    }
    return watched;
  }

  #earliest(): Timer | undefined {
    return this.#timers.reduce<Timer | undefined>(
      (earliest, timer) => (earliest === undefined || timer.due < earliest.due ? timer : earliest),
      undefined,
    );
  }

  #fire(timer: Timer): void {
    this.#timers = this.#timers.filter((candidate) => candidate !== timer);
    this.#now = Math.max(this.#now, timer.due);
    timer.callback();
  }
}
