import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptOutcome, DeliveryObserver } from '../callbacks/callback-deliverer';
import type { DrainRate } from '../limits/drain-rate';
import { queueWaitSeconds } from '../limits/queue-bound';
import type { DeliveryState } from '../storage/delivery-types';
import type { Storage } from '../storage/storage';
import type { FinishedState, TriggerRecord } from '../storage/trigger-types';
import { ClusterMetrics } from './cluster-metrics';
import { TalliedCounter, type Tally } from './tallied-counter';

const prefix = 'autofacilitate_';

/**
 * The server's metrics, for `GET /metrics` (Prometheus text format), in a registry of its own so
 * that servers embedded side by side keep theirs apart. Counters and histograms count what this
 * process did; the gauges of triggers and queues are read from the store at each scrape, so they
 * cover every process sharing it.
 */
export class ServerMetrics implements DeliveryObserver {
  readonly registry = new Registry();
  readonly #requests: TalliedCounter<'operation' | 'status'>;
  readonly #requestSeconds: Histogram<'operation'>;
  // The series of each operation and status, labelled once: counting a request builds no labels.
  readonly #requestSeries = new Map<
    string,
    { statuses: Map<number, Tally>; seconds: { observe(value: number): void } }
  >();
  readonly #apiKeyCalls: TalliedCounter<'org_id' | 'api_key' | 'operation'>;
  readonly #triggersFinished: Counter<'org_id' | 'status'>;
  // The labelled series of triggers finished, by their label values joined: counting builds no label object.
  readonly #finishedSeries = new Map<string, { inc(): void }>();
  readonly #claimSeconds: Histogram<never>;
  readonly #claimBatch: Histogram<never>;
  readonly #attempts: Counter<'outcome'>;
  readonly #attemptSeconds: Histogram<never>;
  readonly #deliveries: Counter<'state'>;
  readonly #deliverySeconds: Histogram<'state'>;
  readonly #cluster: ClusterMetrics;

  /**
   * @param orgIds - the configured organisations, reported with zeros when they have no trigger.
   * @param drain - the pace of this process's workers, per organisation.
   * @param role - what this process does (`api`, `worker` or `all`), the label of the cluster's series.
   */
  constructor(store: Storage, orgIds: readonly string[], drain: DrainRate, role = 'all') {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Every metric of the server: its name under the prefix, in this registry.
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name: `${prefix}${name}`, help, labelNames, registers });
    // The counters of every request, counted in plain numbers.
    const tallied = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new TalliedCounter<L>({ name: `${prefix}${name}`, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[] = [], buckets?: number[]) =>
      new Histogram<L>({ name: `${prefix}${name}`, help, labelNames, registers, ...(buckets && { buckets }) });
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
      collect: (this: Gauge<L>) => Promise<void>,
    ) => new Gauge<L>({ name: `${prefix}${name}`, help, labelNames, registers, collect });

    this.#requests = tallied('http_requests_total', 'Requests answered, by operation and status.', [
      'operation',
      'status',
    ]);
    this.#requestSeconds = histogram('http_request_duration_seconds', 'Time to answer a request, by operation.', [
      'operation',
    ]);
    this.#apiKeyCalls = tallied(
      'api_key_requests_total',
      'Calls that carried a known API key, by organisation, key name and operation.',
      ['org_id', 'api_key', 'operation'],
    );
    this.#triggersFinished = counter(
      'triggers_finished_total',
      'Triggers this process finished, by organisation and how they ended.',
      ['org_id', 'status'],
    );
    this.#claimSeconds = histogram<never>(
      'trigger_claim_duration_seconds',
      "Time this process's claims of triggers took, one transaction each.",
      [],
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    );
    this.#claimBatch = histogram<never>(
      'trigger_claim_batch_size',
      "Triggers leased by each of this process's claims.",
      [],
      [0, 1, 2, 4, 8, 16, 32, 64, 128, 256],
    );
    gauge(
      'triggers',
      'Unfinished triggers in the store, by organisation and state.',
      ['org_id', 'state'],
      async function () {
        const { triggers } = await store.queueStats();
        this.reset();
        for (const orgId of orgIds) for (const state of ['queued', 'running']) this.set({ org_id: orgId, state }, 0);
        for (const { orgId, status, count } of triggers) this.set({ org_id: orgId, state: status }, count);
      },
    );
    gauge(
      'queue_depth',
      'Items waiting in each queue: triggers queued, callbacks pending.',
      ['queue'],
      async function () {
        const { triggers, pendingDeliveries } = await store.queueStats();
        this.set(
          { queue: 'triggers' },
          triggers.filter(({ status }) => status === 'queued').reduce((sum, { count }) => sum + count, 0),
        );
        this.set({ queue: 'callbacks' }, pendingDeliveries);
      },
    );
    gauge(
      'drain_rate',
      "Triggers this process's workers finished per second over the last 10 s, by organisation (while measured).",
      ['org_id'],
      async function () {
        this.reset();
        for (const [orgId, perSecond] of drain.rates()) this.set({ org_id: orgId }, perSecond);
      },
    );
    gauge(
      'queue_wait_seconds',
      "Seconds an organisation's unfinished triggers would take to finish at the drain rate (while measured).",
      ['org_id'],
      async function () {
        const { triggers } = await store.queueStats();
        this.reset();
        for (const [orgId, perSecond] of drain.rates()) {
          const unfinished = triggers.filter((row) => row.orgId === orgId).reduce((sum, { count }) => sum + count, 0);
          this.set({ org_id: orgId }, queueWaitSeconds(unfinished, perSecond)!);
        }
      },
    );
    this.#attempts = counter(
      'callback_attempts_total',
      'Callback attempts, by outcome: delivered, gone (410), rejected (another answer), timeout, network, refused (address).',
      ['outcome'],
    );
    this.#attemptSeconds = histogram<never>(
      'callback_attempt_duration_seconds',
      'Time a callback attempt took, from resolving the host to the end of the answer.',
    );
    this.#deliveries = counter(
      'callback_deliveries_total',
      'Callback deliveries ended, by how: delivered, gone (410), failed (no attempt left).',
      ['state'],
    );
    this.#deliverySeconds = histogram(
      'callback_delivery_latency_seconds',
      'Time from the end of a trigger to the end of its callback delivery, retries included.',
      ['state'],
      [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600, 21600, 86400],
    );
    this.#cluster = new ClusterMetrics(this.registry, store, role);
  }

  /** Counts an answered request. */
  request(operation: string, status: number, seconds: number): void {
    let series = this.#requestSeries.get(operation);
    if (!series) {
      series = { statuses: new Map(), seconds: this.#requestSeconds.labels(operation) };
      this.#requestSeries.set(operation, series);
    }
    let answered = series.statuses.get(status);
    if (!answered) {
      answered = this.#requests.tally(operation, String(status));
      series.statuses.set(status, answered);
    }
    answered.count++;
    series.seconds.observe(seconds);
  }

  /** A new tally of the calls that carry a known API key to an operation; keep it. */
  apiKeyCalls(orgId: string, apiKey: string, operation: string): Tally {
    return this.#apiKeyCalls.tally(orgId, apiKey, operation);
  }

  /** Counts a trigger this process finished at `now`, and times its wait and its run. */
  triggerFinished(trigger: TriggerRecord, status: FinishedState, now: number): void {
    const key = `${trigger.orgId}\n${status}`;
    let series = this.#finishedSeries.get(key);
    if (!series) {
      series = this.#triggersFinished.labels(trigger.orgId, status);
      this.#finishedSeries.set(key, series);
    }
    series.inc();
    this.#cluster.triggerFinished(trigger, now);
  }

  /** Times a claim of triggers, and counts what it leased. */
  triggersClaimed(count: number, seconds: number): void {
    this.#claimSeconds.observe(seconds);
    this.#claimBatch.observe(count);
  }

  attempted(outcome: AttemptOutcome, seconds: number): void {
    this.#attempts.inc({ outcome });
    this.#attemptSeconds.observe(seconds);
  }

  ended(state: Exclude<DeliveryState, 'pending'>, seconds: number): void {
    this.#deliveries.inc({ state });
    this.#deliverySeconds.observe({ state }, seconds);
  }
}
