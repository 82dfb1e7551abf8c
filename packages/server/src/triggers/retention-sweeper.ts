import type { FastifyBaseLogger } from 'fastify';
import type { Storage } from '../storage/storage';
import type { Clock } from '../time/clock';

/** Settings of a {@link RetentionSweeper}. */
export interface RetentionOptions {
  store: Storage;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Results of triggers finished longer ago than this are removed. */
  retentionSeconds: number;
  intervalSeconds: number;
}

/** Removes results older than the retention period, and expired tokens, at every interval. */
export class RetentionSweeper {
  #timer: unknown;

  constructor(private readonly options: RetentionOptions) {}

  /** Sweeps once, now. */
  async sweep(): Promise<void> {
    const { store, clock, log, retentionSeconds } = this.options;
    const now = clock.now();
    try {
      const removed = await store.purge(now - retentionSeconds * 1000, now);
      if (removed.triggers > 0 || removed.tokens > 0) log.info(removed, 'expired results and tokens removed');
    } catch (error) {
      log.error({ err: error }, 'removing expired results failed');
    }
  }

  start(): void {
    this.#timer = this.options.clock.setInterval(() => void this.sweep(), this.options.intervalSeconds * 1000);
  }

  stop(): void {
    this.options.clock.clearInterval(this.#timer);
  }
}
