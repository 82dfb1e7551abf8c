import type { Clock } from '../time/clock';
import { drainWithin, type Cancellable } from './drain';

/** What a {@link ClaimLoop} claims with, and how often it looks. */
export interface ClaimLoopOptions {
  clock: Clock;
  pollIntervalMs: number;
  /**
   * Claims what there is room for and starts each with {@link ClaimLoop.run}; answers true when
   * more may be waiting (a full batch), to claim again at once.
   */
  claim(): Promise<boolean>;
  /** Told of a claim that failed; the next wake-up claims again. */
  claimFailed(error: unknown): void;
}

/**
 * The loop of a consumer of leased work (triggers, callback deliveries): claims on a wake-up (work
 * was written, work finished, a retry fell due) and every poll interval (work of other processes,
 * expired leases), one claim at a time, and on stop drains the work under way.
 */
export class ClaimLoop {
  readonly #options: ClaimLoopOptions;
  readonly #underWay = new Set<Cancellable>();
  #pollTimer: unknown;
  #dueTimer: unknown;
  #dueAt = Infinity;
  #claiming: Promise<void> | undefined;
  #claimStarted = false;
  #claimAgain = false;
  #stopped = true;

  constructor(options: ClaimLoopOptions) {
    this.#options = options;
  }

  /** How much work is under way. */
  get size(): number {
    return this.#underWay.size;
  }

  /** Starts polling, and claims at once. */
  start(): void {
    this.#stopped = false;
    this.#pollTimer = this.#options.clock.setInterval(() => this.wake(), this.#options.pollIntervalMs);
    this.wake();
  }

  /** Claims now, e.g. because work was just written. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#claiming) {
      // A claim not yet started sees this work too; one under way may have missed it.
      if (this.#claimStarted) this.#claimAgain = true;
      return;
    }
    // On the next turn, so that a burst of wake-ups makes one claim.
    this.#claiming = new Promise((resolve) => setImmediate(() => resolve(this.#claim())));
  }

  /** Claims at `time` (a retry falls due), unless an earlier wake-up is set already. */
  wakeAt(time: number): void {
    const { clock } = this.#options;
    if (this.#stopped || time >= this.#dueAt) return;
    clock.clearTimeout(this.#dueTimer);
    this.#dueAt = time;
    this.#dueTimer = clock.setTimeout(() => {
      this.#dueAt = Infinity;
      this.wake();
    }, time - clock.now());
  }

  /** Counts `work` as under way until it settles, then claims again (there is room now). */
  run(work: (stop: AbortSignal) => Promise<void>): Cancellable {
    const stop = new AbortController();
    const underWay: Cancellable = { stop, done: Promise.resolve() };
    this.#underWay.add(underWay);
    underWay.done = work(stop.signal).finally(() => {
      this.#underWay.delete(underWay);
      this.wake();
    });
    return underWay;
  }

  /**
   * Stops claiming, waits up to `graceMs` for the work under way, then cuts the rest short.
   * Answers how much was cut short.
   */
  async stop(graceMs: number): Promise<number> {
    const { clock } = this.#options;
    this.#stopped = true;
    clock.clearInterval(this.#pollTimer);
    clock.clearTimeout(this.#dueTimer);
    // The work a claim in flight leases is started, and so waited for like the rest.
    await this.#claiming;
    return drainWithin(clock, graceMs, () => [...this.#underWay]);
  }

  async #claim(): Promise<void> {
    this.#claimStarted = true;
    try {
      if (!this.#stopped && (await this.#options.claim())) this.#claimAgain = true;
    } catch (error) {
      this.#options.claimFailed(error);
    } finally {
      this.#claiming = undefined;
      this.#claimStarted = false;
      if (this.#claimAgain) {
        this.#claimAgain = false;
        this.wake();
      }
    }
  }
}
