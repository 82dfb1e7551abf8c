import type { TestClock } from 'pg-boss';
import type { Clock } from '../../src';

interface Timer {
  due: number;
  ms: number;
  /** Set for an interval: how often it fires. */
  every: number | undefined;
  callback: () => void;
}

// Turns of the real event loop that let what a timer started (store writes, claims) land before
// time moves on: the store is SQLite in this process, so nothing waits on anything slower.
const settleTurns = 10;

const settle = async () => {
  for (let turn = 0; turn < settleTurns; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * The server's time in tests: it moves only when a test calls {@link VirtualClock.advance}. A
 * timer due now fires on the next turn of the event loop, as the platform's would; the others when
 * time reaches them, in order. Requests over real sockets still run at their own pace.
 */
export class VirtualClock implements Clock {
  readonly #timers = new Map<number, Timer>();
  readonly #waiters = new Set<() => void>();
  #now: number;
  #nextId = 1;
  // On PostgreSQL pg-boss reads the time in the database (its job_now()), and attaches this clock
  // there when it starts: pg-boss's own test clock then keeps the database's time on this one's.
  #database: TestClock | undefined;
  #pushed: Promise<void> = Promise.resolve();

  constructor(start = Date.parse('2026-01-01T12:00:00.000Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    return this.#set(callback, ms, undefined);
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  setInterval(callback: () => void, ms: number): unknown {
    return this.#set(callback, ms, Math.max(1, ms));
  }

  clearInterval(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** How many timeouts are set and not yet fired nor cleared. */
  get timeouts(): number {
    return [...this.#timers.values()].filter((timer) => timer.every === undefined).length;
  }

  /** Resolves once a timeout of `ms` is set (at once if one is), e.g. a grace period. */
  whenSet(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (![...this.#timers.values()].some((timer) => timer.ms === ms && timer.every === undefined)) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /**
   * Moves time forward by `ms`, stopping at each timeout that falls due on the way to fire it and
   * let its work land. Intervals fire once at each stop where they are due, however many of their
   * ticks it passed, as the platform's do after the process was held up: a jump of a day costs a
   * few steps, not a million polls.
   */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#nextTimeout();
      const stop = next !== undefined && next <= until ? next : until;
      this.#now = Math.max(this.#now, stop);
      await this.#push();
      this.#fireDue();
      if (stop === until) break;
    }
    await settle();
  }

  /** Called by pg-boss as it starts on a database: that database's time follows this clock from now on. */
  async attach(target: Parameters<TestClock['attach']>[0]): Promise<AsyncDisposable> {
    const { TestClock } = await import('pg-boss');
    this.#database ??= new TestClock(this.#now);
    return this.#database.attach(target);
  }

  // Moves the database's time to this clock's, one move at a time (advances may overlap).
  #push(): Promise<void> {
    const database = this.#database;
    if (!database) return Promise.resolve();
    // Half a millisecond on: the database reads the time as seconds in floating point, and a
    // rounding that left it a microsecond short of a due time would leave that job waiting.
    const now = this.#now + 0.5;
    this.#pushed = this.#pushed.then(() => database.setTime(now));
    return this.#pushed;
  }

  #set(callback: () => void, ms: number, every: number | undefined): number {
    const id = this.#nextId++;
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), ms, every, callback });
    if (ms <= 0) setImmediate(() => this.#fireDue());
    for (const waiter of [...this.#waiters]) waiter();
    return id;
  }

  #nextTimeout(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers.values())
      if (timer.every === undefined && (next === undefined || timer.due < next)) next = timer.due;
    return next;
  }

  /** Fires every timer due by now, in the order they were set. */
  #fireDue(): void {
    for (const [id, timer] of [...this.#timers]) {
      if (timer.due > this.#now || !this.#timers.has(id)) continue;
      if (timer.every === undefined) this.#timers.delete(id);
      else timer.due += timer.every * Math.ceil((this.#now - timer.due + 1) / timer.every);
      timer.callback();
    }
  }
}
