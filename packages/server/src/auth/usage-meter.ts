import type { FastifyBaseLogger } from 'fastify';
import type { UsageStore } from '../storage/usage-store';
import type { UsageCount } from '../storage/usage-types';
import type { Clock } from '../time/clock';

function keyOf({ orgId, apiKey, operationId }: Pick<UsageCount, 'orgId' | 'apiKey' | 'operationId'>): string {
  return `${orgId}\n${apiKey}\n${operationId}`;
}

/**
 * Counts calls per API key and operation. Counting in memory and adding to the store's counters
 * every `flushIntervalMs` keeps a write off every request; a crash loses at most one interval of
 * counts, never a trigger.
 */
export class UsageMeter {
  readonly #pending = new Map<string, UsageCount>();
  #timer: unknown;

  /** @param observe - told of every call as it is counted (the metrics). */
  constructor(
    private readonly store: UsageStore,
    private readonly clock: Clock,
    private readonly observe: (orgId: string, apiKey: string, operationId: string) => void,
  ) {}

  /** Counts one call. */
  record(orgId: string, apiKey: string, operationId: string): void {
    this.observe(orgId, apiKey, operationId);
    const key = keyOf({ orgId, apiKey, operationId });
    const now = this.clock.now();
    const count = this.#pending.get(key);
    if (count) {
      count.count++;
      count.lastUsedAt = now;
    } else {
      this.#pending.set(key, { orgId, apiKey, operationId, count: 1, lastUsedAt: now });
    }
  }

  /** Starts adding the counts to the store every `intervalMs`. */
  start(intervalMs: number, log: FastifyBaseLogger): void {
    this.#timer = this.clock.setInterval(() => {
      this.flush().catch((error: unknown) =>
        log.error({ err: error }, 'usage counts not saved; kept for the next flush'),
      );
    }, intervalMs);
  }

  /** Adds the counts made so far to the store; when that fails they are kept for the next flush. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const counts = [...this.#pending.values()];
    this.#pending.clear();
    try {
      await this.store.addUsage(counts);
    } catch (error) {
      for (const count of counts) {
        const key = keyOf(count);
        const newer = this.#pending.get(key);
        this.#pending.set(
          key,
          newer ? { ...count, count: count.count + newer.count, lastUsedAt: newer.lastUsedAt } : count,
        );
      }
      throw error;
    }
  }

  /** Stops the timer and saves what is left. */
  async stop(): Promise<void> {
    this.clock.clearInterval(this.#timer);
    await this.flush();
  }
}
