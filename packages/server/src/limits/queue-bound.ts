import type { TriggerStore } from '../storage/trigger-store';
import type { Clock } from '../time/clock';

interface Known {
  count: number;
  countedAt: number;
}

// How long a count of an organisation's unfinished triggers is trusted before the store is asked
// again: counting on every execute would cost more than the trigger's own write.
const recountAfterMs = 250;

/**
 * The bound on an organisation's unfinished (queued or running) triggers. The store's count is
 * read at most every quarter second and the triggers this process admits since are added to it,
 * so the bound holds exactly within a process and to within a quarter second of the others'
 * writes across processes.
 */
export class QueueBound {
  readonly #known = new Map<string, Known>();
  readonly #counting = new Map<string, Promise<Known>>();

  constructor(
    private readonly store: TriggerStore,
    private readonly clock: Clock,
    private readonly max: number,
  ) {}

  /** Admits one more trigger of `orgId`, or answers false when it has `max` unfinished already. */
  async admit(orgId: string): Promise<boolean> {
    let known = this.#known.get(orgId);
    if (!known || this.clock.now() - known.countedAt >= recountAfterMs) known = await this.#count(orgId);
    if (known.count >= this.max) return false;
    known.count++;
    return true;
  }

  /** Forgets an admitted trigger that was not written after all. */
  withdraw(orgId: string): void {
    const known = this.#known.get(orgId);
    if (known && known.count > 0) known.count--;
  }

  // One count at a time per organisation, shared by the requests that need it.
  #count(orgId: string): Promise<Known> {
    let counting = this.#counting.get(orgId);
    if (!counting) {
      const countedAt = this.clock.now();
      counting = this.store
        .countUnfinishedTriggers(orgId)
        .then((count) => {
          const known = { count, countedAt };
          this.#known.set(orgId, known);
          return known;
        })
        .finally(() => this.#counting.delete(orgId));
      this.#counting.set(orgId, counting);
    }
    return counting;
  }
}
