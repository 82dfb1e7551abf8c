import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Storage } from '../storage/storage';
import type { TriggerRecord } from '../storage/trigger-types';

const prefix = 'autofacilitate_';
// From a job picked up at once to one that waited out a backlog or a lost lease.
const latencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/**
 * What those who run a cluster look at per process, each series labelled with the process's role
 * (`api`, `worker` or `all`), so that API and worker processes can be told apart in one query:
 * how long triggers waited for a worker and ran, the connection pools' use, and the job engine's
 * queues. The series the server had before keep their labels.
 */
export class ClusterMetrics {
  // Labelled once, so that observing builds no labels.
  readonly #waitSeconds: { observe(value: number): void };
  readonly #runSeconds: { observe(value: number): void };

  constructor(registry: Registry, store: Storage, role: string) {
    const registers = [registry];
    const histogram = (name: string, help: string) =>
      new Histogram<'role'>({
        name: `${prefix}${name}`,
        help,
        labelNames: ['role'],
        registers,
        buckets: latencyBuckets,
      });
    this.#waitSeconds = histogram(
      'trigger_wait_seconds',
      "Time from a trigger's execute to the start of its last run, for the triggers this process finished.",
    ).labels(role);
    this.#runSeconds = histogram(
      'trigger_run_seconds',
      "Time from the start of a trigger's last run to its end, for the triggers this process finished.",
    ).labels(role);
    new Gauge<'role' | 'pool' | 'state'>({
      name: `${prefix}pool_connections`,
      help: "This process's PostgreSQL connection pools (storage: our tables; queue: pg-boss's): connections open (total) and idle, and queries waiting for one (waiting).",
      labelNames: ['role', 'pool', 'state'],
      registers,
      collect() {
        this.reset();
        for (const { pool, total, idle, waiting } of store.connectionPools()) {
          this.set({ role, pool, state: 'total' }, total);
          this.set({ role, pool, state: 'idle' }, idle);
          this.set({ role, pool, state: 'waiting' }, waiting);
        }
      },
    });
    new Gauge<'role' | 'queue' | 'state'>({
      name: `${prefix}jobs`,
      help: "Jobs in each queue of pg-boss (trigger, delivery, delivery-dead), by state, as its monitor last counted them: the whole cluster's.",
      labelNames: ['role', 'queue', 'state'],
      registers,
      async collect() {
        const queues = await store.jobQueues();
        this.reset();
        for (const { queue, queued, active, failed } of queues) {
          this.set({ role, queue, state: 'queued' }, queued);
          this.set({ role, queue, state: 'active' }, active);
          this.set({ role, queue, state: 'failed' }, failed);
        }
      },
    });
  }

  /** Times a trigger this process finished at `now`: its wait for a worker, and its run. */
  triggerFinished(trigger: TriggerRecord, now: number): void {
    if (trigger.startedAt === undefined) return;
    this.#waitSeconds.observe(Math.max(0, trigger.startedAt - trigger.createdAt) / 1000);
    this.#runSeconds.observe(Math.max(0, now - trigger.startedAt) / 1000);
  }
}
