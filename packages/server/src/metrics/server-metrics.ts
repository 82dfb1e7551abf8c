import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptOutcome, DeliveryObserver } from '../callbacks/callback-deliverer';
import type { DeliveryState } from '../storage/delivery-types';
import type { Storage } from '../storage/storage';
import type { FinishedState } from '../storage/trigger-types';

const prefix = 'autofacilitate_';

/**
 * The server's metrics, for `GET /metrics` (Prometheus text format), in a registry of its own so
 * that servers embedded side by side keep theirs apart. Counters and histograms count what this
 * process did; the gauges of triggers and queues are read from the store at each scrape, so they
 * cover every process sharing it.
 */
export class ServerMetrics implements DeliveryObserver {
  readonly registry = new Registry();
  readonly #requests: Counter<'operation' | 'status'>;
  readonly #requestSeconds: Histogram<'operation'>;
  readonly #apiKeyCalls: Counter<'org_id' | 'api_key' | 'operation'>;
  readonly #triggersFinished: Counter<'org_id' | 'status'>;
  readonly #attempts: Counter<'outcome'>;
  readonly #attemptSeconds: Histogram;
  readonly #deliveries: Counter<'state'>;
  readonly #deliverySeconds: Histogram<'state'>;

  /** @param orgIds - the configured organisations, reported with zeros when they have no trigger. */
  constructor(store: Storage, orgIds: readonly string[]) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: `${prefix}http_requests_total`,
      help: 'Requests answered, by operation and status.',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.#requestSeconds = new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'Time to answer a request, by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.#apiKeyCalls = new Counter({
      name: `${prefix}api_key_requests_total`,
      help: 'Calls that carried a known API key, by organisation, key name and operation.',
      labelNames: ['org_id', 'api_key', 'operation'],
      registers,
    });
    this.#triggersFinished = new Counter({
      name: `${prefix}triggers_finished_total`,
      help: 'Triggers this process finished, by organisation and how they ended.',
      labelNames: ['org_id', 'status'],
      registers,
    });
    new Gauge({
      name: `${prefix}triggers`,
      help: 'Unfinished triggers in the store, by organisation and state.',
      labelNames: ['org_id', 'state'],
      registers,
      async collect() {
        const { triggers } = await store.queueStats();
        this.reset();
        for (const orgId of orgIds) for (const state of ['queued', 'running']) this.set({ org_id: orgId, state }, 0);
        for (const { orgId, status, count } of triggers) this.set({ org_id: orgId, state: status }, count);
      },
    });
    new Gauge({
      name: `${prefix}queue_depth`,
      help: 'Items waiting in each queue: triggers queued, callbacks pending.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const { triggers, pendingDeliveries } = await store.queueStats();
        this.set({ queue: 'triggers' }, triggers.filter(({ status }) => status === 'queued').reduce((sum, { count }) => sum + count, 0));
        this.set({ queue: 'callbacks' }, pendingDeliveries);
      },
    });
    this.#attempts = new Counter({
      name: `${prefix}callback_attempts_total`,
      help: 'Callback attempts, by outcome: delivered, gone (410), rejected (another answer), timeout, network, refused (address).',
      labelNames: ['outcome'],
      registers,
    });
    this.#attemptSeconds = new Histogram({
      name: `${prefix}callback_attempt_duration_seconds`,
      help: 'Time a callback attempt took, from resolving the host to the end of the answer.',
      registers,
    });
    this.#deliveries = new Counter({
      name: `${prefix}callback_deliveries_total`,
      help: 'Callback deliveries ended, by how: delivered, gone (410), failed (no attempt left).',
      labelNames: ['state'],
      registers,
    });
    this.#deliverySeconds = new Histogram({
      name: `${prefix}callback_delivery_latency_seconds`,
      help: 'Time from the end of a trigger to the end of its callback delivery, retries included.',
      labelNames: ['state'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600, 21600, 86400],
      registers,
    });
  }

  /** Counts an answered request. */
  request(operation: string, status: number, seconds: number): void {
    this.#requests.inc({ operation, status: String(status) });
    this.#requestSeconds.observe({ operation }, seconds);
  }

  /** Counts a call that carried a known API key. */
  apiKeyCall(orgId: string, apiKey: string, operation: string): void {
    this.#apiKeyCalls.inc({ org_id: orgId, api_key: apiKey, operation });
  }

  /** Counts a finished trigger. */
  triggerFinished(orgId: string, status: FinishedState): void {
    this.#triggersFinished.inc({ org_id: orgId, status });
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
