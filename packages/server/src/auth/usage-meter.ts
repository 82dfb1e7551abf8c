import type { FastifyBaseLogger } from 'fastify';
import type { UsageStore } from '../storage/usage-store';
import type { UsageCount } from '../storage/usage-types';
import type { Tally } from '../metrics/tallied-counter';
import type { Clock } from '../time/clock';

/** The calls of one API key to one operation: those since the last flush, and the metric's. */
interface Usage extends UsageCount {
  observed: Tally;
}

/**
 * Counts calls per API key and operation. Counting in memory and adding to the store's counters
 * every `flushIntervalMs` keeps a write off every request; a crash loses at most one interval of
 * counts, never a trigger. Each key's and operation's count is an object kept for good, found
 * through maps keyed by the names themselves: counting a call builds nothing.
 */
export class UsageMeter {
  // By organisation, API key name and operation: all from the configuration and the spec, so few.
  readonly #usage = new Map<string, Map<string, Map<string, Usage>>>();
  #timer: unknown;

  /** @param tally - a new tally of the metric of an API key's calls to an operation. */
  constructor(
    private readonly store: UsageStore,
    private readonly clock: Clock,
    private readonly tally: (orgId: string, apiKey: string, operationId: string) => Tally,
  ) {}

  /** Counts one call. */
  record(orgId: string, apiKey: string, operationId: string): void {
    const usage = this.#usageOf(orgId, apiKey, operationId);
    usage.count++;
    usage.lastUsedAt = this.clock.now();
    usage.observed.count++;
  }

  #usageOf(orgId: string, apiKey: string, operationId: string): Usage {
    let byKey = this.#usage.get(orgId);
    if (!byKey) this.#usage.set(orgId, (byKey = new Map()));
    let byOperation = byKey.get(apiKey);
    if (!byOperation) byKey.set(apiKey, (byOperation = new Map()));
    let usage = byOperation.get(operationId);
    if (!usage) {
      usage = { orgId, apiKey, operationId, count: 0, lastUsedAt: 0, observed: this.tally(orgId, apiKey, operationId) };
      byOperation.set(operationId, usage);
    }
    return usage;
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
    const counts: UsageCount[] = [];
    for (const byKey of this.#usage.values()) {
      for (const byOperation of byKey.values()) {
        for (const usage of byOperation.values()) {
          if (usage.count === 0) continue;
          const { orgId, apiKey, operationId, count, lastUsedAt } = usage;
          counts.push({ orgId, apiKey, operationId, count, lastUsedAt });
          usage.count = 0;
        }
      }
    }
    if (counts.length === 0) return;
    try {
      await this.store.addUsage(counts);
    } catch (error) {
      // Each usage's lastUsedAt is still that of its last call, counted or not.
      for (const { orgId, apiKey, operationId, count } of counts)
        this.#usageOf(orgId, apiKey, operationId).count += count;
      throw error;
    }
  }

  /** Stops the timer and saves what is left. */
  async stop(): Promise<void> {
    this.clock.clearInterval(this.#timer);
    await this.flush();
  }
}
