import type { RetryOptions } from './http/retry-policy';
import type { Logger } from './logger';
import type { Clock } from './time/clock';
import type { Random } from './time/random';
import type { ExecuteResult } from './trigger-calls';
import type { TriggerPending } from './trigger/outcome';

/** How to reach and authenticate with the API: the options of `new AutoFacilitate(…)`. */
export interface AutoFacilitateOptions {
  /** The customer organisation: in every path, and the production API's host name. */
  orgId: string;
  /** The Alvaria Cloud region: names the production token service. */
  region?: string;
  /** The API's base URL, for the mock or a self-hosted server. Default `https://{orgId}.via.aspect-cloud.net`. */
  baseUrl?: string;
  /**
   * The token service's full URL. Default: the region's production token service, or with
   * `baseUrl` and no `region`, `{baseUrl}/tokenservice/oauth2/access_token`.
   */
  tokenUrl?: string;
  /** The OAuth2 client id (sent as HTTP Basic user). */
  clientId: string;
  /** The OAuth2 client secret (sent as HTTP Basic password). Never logged or shown. */
  clientSecret: string;
  /** The Alvaria-provided API key, sent as `x-api-key` on every call. Never logged or shown. */
  apiKey: string;
  /** The fetch to use. Default: the platform's `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Each call's deadline, in ms, covering token fetch and every retry. Default 30 000; `Infinity` for none. */
  timeoutMs?: number;
  /** How failed requests are retried; `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Where to report token fetches and retries. Default: nowhere. */
  logger?: Logger;
  /** The time source, for deterministic tests. Default: the real clock. */
  clock?: Clock;
  /** The jitter source, for deterministic tests. Default: `Math.random`. */
  random?: Random;
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call (token fetch, retries, waits) at once; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** This call's deadline, in ms, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * Extra request headers for this call, e.g. a mock's `Prefer`, or W3C `traceparent` and
   * `tracestate`, which execute's trigger keeps: its run, service call and callbacks join the
   * caller's trace. They cannot replace the ones the SDK sets (`Authorization`, `x-api-key`,
   * `Content-Type`, `Idempotency-Key`).
   */
  headers?: Record<string, string>;
}

/** Options of {@link AutoFacilitate.execute}. */
export interface ExecuteOptions extends CallOptions {
  /** URLs the server calls back when the trigger finishes. */
  callbackUrls?: string[];
  /** The body's format. Default `json`. XML needs every parameter name to be a valid XML name. */
  format?: 'json' | 'xml';
  /**
   * Sent as `Idempotency-Key`: the server starts the service at most once per key. With a key,
   * execute is retried like a GET (network failures, 429, 5xx); without one, only when the
   * request provably never left.
   */
  idempotencyKey?: string;
}

/** Options of {@link AutoFacilitate.waitForResult}, and of the waiting in {@link AutoFacilitate.executeAndWait}. */
export interface WaitOptions extends Omit<CallOptions, 'timeoutMs'> {
  /** The deadline for the whole wait, execute (when there is one) and every poll included, in ms. Default 120 000. */
  maxWaitMs?: number;
  /** The first wait between polls, in ms, when the server sends no `Retry-After`. Default 500. */
  pollIntervalMs?: number;
  /** The longest wait between polls, in ms. Default 10 000. */
  maxPollIntervalMs?: number;
  /** Called with each answer that says the trigger has not finished yet. */
  onProgress?: (progress: TriggerPending) => void;
}

/** Options of {@link AutoFacilitate.executeAndWait}. */
export interface ExecuteAndWaitOptions extends Omit<ExecuteOptions, 'timeoutMs'>, WaitOptions {
  /** Called once execute has answered, with the trigger it started (or replayed), before the first poll. */
  onStarted?: (started: ExecuteResult) => void;
}

/** Options of {@link AutoFacilitate.getAccessToken}. */
export interface AccessTokenOptions extends CallOptions {
  /** Fetch a new token even if the cached one is still good. */
  forceRefresh?: boolean;
}
