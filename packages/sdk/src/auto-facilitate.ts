import { Configuration, TriggerResultFromJSON, type HTTPHeaders } from '@autofacilitate/client';
import { TokenClient, tokenProviderOf } from './auth/token-client';
import type { AccessTokenInfo, TokenProvider } from './auth/token-provider';
import { callEnvironment } from './call-environment';
import { ExecuteEndpoint, ResultEndpoint } from './endpoints';
import { AutoFacilitateError, TimeoutError, type OperationId } from './errors';
import { Deadline } from './http/deadline';
import { isTransient, runExchange, type CallEnvironment, type Exchange } from './http/exchange';
import { readJson } from './http/read-json';
import { parseRetryAfter } from './http/retry-after';
import type { AccessTokenOptions, AutoFacilitateOptions, CallOptions, ExecuteAndWaitOptions, ExecuteOptions, WaitOptions } from './options';
import { finishedWithoutOutput, idOf, outcomeFromWire, type TriggerFinished, type TriggerOutcome, type TriggerRef } from './trigger/outcome';
import { pollUntilFinished, type PollPacing } from './trigger/poll';
import { checkTriggerBody, checkTriggerUUID, checkVsn, type TriggerParameters } from './trigger/trigger-input';
import { triggerXml } from './trigger/trigger-xml';
import { checkCredentials, checkHeaders, checkIdempotencyKey, duration } from './option-checks';
import { resolveUrls } from './urls';

/** What {@link AutoFacilitate.execute} answers: the started trigger. */
export interface ExecuteResult {
  /** The trigger's identifier, always a string (the wire may carry `"1234"` or `1234`). */
  triggerUUID: string;
  /** The server's confirmation, for people. */
  message?: string;
  /**
   * `true` when the answer is an idempotent replay: an earlier request with the same
   * `idempotencyKey` started this trigger, and nothing new was started (`Idempotent-Replayed`).
   */
  replayed?: true;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_WAIT_MS = 120_000;
const DEFAULT_POLL_INTERVAL_MS = 500;
const DEFAULT_MAX_POLL_INTERVAL_MS = 10_000;

/**
 * The AutoFacilitate API: start services, read their results, wait for them, all with tokens
 * handled, retries that never trigger twice, one deadline per call and typed errors.
 *
 * @example
 * ```ts
 * const client = new AutoFacilitate({ orgId: 'acme', region: 'na1', clientId, clientSecret, apiKey });
 * const { triggerUUID } = await client.execute('ServerName', { key: 'value' });
 * const outcome = await client.getResult('ServerName', triggerUUID);
 * ```
 */
export class AutoFacilitate {
  /** The customer organisation. */
  readonly orgId: string;
  /** The API's base URL. */
  readonly baseUrl: string;
  /** The token service's URL. */
  readonly tokenUrl: string;
  /** The OAuth2 client id (not a secret). */
  readonly clientId: string;

  // Private fields: not enumerable, not shown by console.log or util.inspect.
  readonly #env: CallEnvironment;
  readonly #timeoutMs: number;
  readonly #tokenClient: TokenClient;
  readonly #tokens: TokenProvider;
  readonly #execute: ExecuteEndpoint;
  readonly #result: ResultEndpoint;

  /** @throws TypeError when an option is missing or malformed. */
  constructor(options: AutoFacilitateOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('new AutoFacilitate(options): options are required');
    const { orgId, clientId, clientSecret, apiKey } = checkCredentials(options);
    this.orgId = orgId;
    this.clientId = clientId;
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError('fetch must be a function');

    const urls = resolveUrls(options);
    this.baseUrl = urls.baseUrl;
    this.tokenUrl = urls.tokenUrl;
    this.#timeoutMs = duration('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.#env = callEnvironment(options);
    const api = new Configuration({ basePath: this.baseUrl, apiKey, fetchApi: options.fetch });
    this.#execute = new ExecuteEndpoint(api);
    this.#result = new ResultEndpoint(api);
    this.#tokenClient = new TokenClient({ ...options, tokenUrl: this.tokenUrl, clientSecret });
    this.#tokens = tokenProviderOf(this.#tokenClient);
  }

  /**
   * Starts the service `vsn` (`executeService`). Retried only when that cannot start it twice:
   * when the request provably never left, or, with an `idempotencyKey`, like any safe request.
   * A 401 fetches a new token and tries once more (a 401 means nothing was started).
   *
   * @param vsn - the service to start.
   * @param triggerParameters - names to string values, handed to the service.
   * @returns the trigger's id and the server's message.
   * @throws ValidationError before sending when the input breaks the spec (or, in XML, a name is not an XML name).
   */
  async execute(vsn: string, triggerParameters: TriggerParameters = {}, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const deadline = this.#deadline('executeService', options.timeoutMs, options.signal);
    try {
      return await this.#executeWithin(deadline, vsn, triggerParameters, options);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Reads the result of a trigger (`getTriggerResult`): finished (200 with the outcome, or the
   * seed's 204 with nothing more to say) or still in progress (202). Retried on network failures,
   * 429 and 5xx, honouring `Retry-After`.
   *
   * @param triggerUUID - as `execute` answered it; a number is accepted too (the seed types it as integer).
   * @returns the outcome: switch on `status`, or test `done`.
   */
  async getResult(vsn: string, triggerUUID: string | number, options: CallOptions = {}): Promise<TriggerOutcome> {
    const deadline = this.#deadline('getTriggerResult', options.timeoutMs, options.signal);
    try {
      return await this.#getResultWithin(deadline, { vsn: checkVsn(vsn), triggerUUID: checkTriggerUUID(triggerUUID) }, options.headers);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Starts `vsn`, then polls its result until it has finished, with backoff and jitter (or the
   * server's `Retry-After`). One deadline, `maxWaitMs`, covers it all. Refusals (401 after a
   * refresh, 403, 404) fail at once instead of being waited out; a trigger that failed is an
   * outcome, not an error: check `status`. `onStarted` hears the triggerUUID as soon as execute answers.
   *
   * @throws TimeoutError carrying the `triggerUUID` when `maxWaitMs` passes first, so the result can still be fetched later.
   */
  async executeAndWait(vsn: string, triggerParameters: TriggerParameters = {}, options: ExecuteAndWaitOptions = {}): Promise<TriggerFinished> {
    let ref: TriggerRef | undefined;
    return this.#waiting(vsn, options, () => ref, async (deadline, pacing) => {
      const started = await this.#executeWithin(deadline, vsn, triggerParameters, options);
      ref = { vsn, triggerUUID: started.triggerUUID };
      options.onStarted?.(started);
      return this.#pollWithin(deadline, ref, pacing, options);
    });
  }

  /**
   * Polls the result of a trigger already started until it has finished: what
   * {@link AutoFacilitate.executeAndWait} does once execute has answered, e.g. to wait again for a
   * trigger after an earlier wait gave up. One deadline, `maxWaitMs`, covers every poll.
   *
   * @throws TimeoutError carrying the `triggerUUID` when `maxWaitMs` passes first.
   */
  async waitForResult(vsn: string, triggerUUID: string | number, options: WaitOptions = {}): Promise<TriggerFinished> {
    const ref = { vsn: checkVsn(vsn), triggerUUID: checkTriggerUUID(triggerUUID) };
    return this.#waiting(vsn, options, () => ref, (deadline, pacing) => this.#pollWithin(deadline, ref, pacing, options));
  }

  /**
   * The access token the client uses: cached until shortly before it expires, fetched once for
   * all concurrent callers. With `forceRefresh`, a new one. With `headers`, the token service is
   * asked directly with them and the answer is not cached.
   *
   * @throws AuthError carrying the RFC 6749 `error` code (`oauthError`) when the token service refuses the client.
   */
  async getAccessToken(options: AccessTokenOptions = {}): Promise<AccessTokenInfo> {
    return this.#tokenClient.getAccessToken(options);
  }

  /** Names the client without its secrets. */
  toString(): string {
    return `AutoFacilitate(orgId=${this.orgId}, baseUrl=${this.baseUrl}, tokenUrl=${this.tokenUrl}, clientId=${this.clientId})`;
  }

  /** The client's settings without its secrets, for logs. */
  toJSON(): Record<string, string> {
    return { orgId: this.orgId, baseUrl: this.baseUrl, tokenUrl: this.tokenUrl, clientId: this.clientId };
  }

  /** What Node's `util.inspect` and `console.log` show: the same as {@link AutoFacilitate.toString}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Runs a wait under one deadline, `maxWaitMs`, whose timeout names the trigger once it is known. */
  async #waiting(
    vsn: string,
    options: WaitOptions,
    ref: () => TriggerRef | undefined,
    wait: (deadline: Deadline, pacing: PollPacing) => Promise<TriggerFinished>,
  ): Promise<TriggerFinished> {
    const maxWaitMs = duration('maxWaitMs', options.maxWaitMs, DEFAULT_MAX_WAIT_MS);
    const pacing = {
      initialIntervalMs: duration('pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS),
      maxIntervalMs: duration('maxPollIntervalMs', options.maxPollIntervalMs, DEFAULT_MAX_POLL_INTERVAL_MS),
    };
    const deadline = new Deadline(this.#env.clock, maxWaitMs, options.signal, () => {
      const triggerUUID = ref()?.triggerUUID;
      const what = triggerUUID === undefined ? `executeAndWait(${vsn})` : `Trigger ${triggerUUID} of ${vsn}`;
      const operation = triggerUUID === undefined ? 'executeService' : 'getTriggerResult';
      return new TimeoutError(`${what} did not finish within ${maxWaitMs} ms`, { timeoutMs: maxWaitMs, triggerUUID, operation });
    });
    try {
      return await wait(deadline, pacing);
    } finally {
      deadline.dispose();
    }
  }

  #pollWithin(deadline: Deadline, ref: TriggerRef, pacing: PollPacing, options: WaitOptions): Promise<TriggerFinished> {
    return pollUntilFinished(
      () => this.#getResultWithin(deadline, ref, options.headers),
      options.onProgress,
      pacing,
      this.#env.clock,
      this.#env.random,
      deadline.signal,
    );
  }

  #deadline(operation: OperationId, timeoutMs: number | undefined, signal: AbortSignal | undefined): Deadline {
    const budget = duration('timeoutMs', timeoutMs, this.#timeoutMs);
    return new Deadline(this.#env.clock, budget, signal, () => new TimeoutError(`${operation} did not finish within ${budget} ms`, { timeoutMs: budget, operation }));
  }

  /** Runs an API exchange with the bearer token, retries and one refresh on 401, within `deadline`. */
  async #send(deadline: Deadline, operation: OperationId, mayRetry: Exchange['mayRetry'], send: (authorization: string, signal: AbortSignal | undefined) => Promise<Response>): Promise<Response> {
    let authorization = '';
    try {
      return await runExchange(
        this.#env,
        {
          operation,
          url: this.baseUrl,
          mayRetry,
          attempt: async (signal) => {
            authorization = await this.#tokens.authorization(signal);
            return send(authorization, deadline.abortable ? signal : undefined);
          },
          onUnauthorized: () => this.#tokens.invalidate(authorization),
        },
        deadline.signal,
        () => deadline.remainingMs(),
      );
    } catch (error) {
      // Whatever failed last, an aborted call reports why it was aborted.
      throw deadline.signal.aborted ? deadline.signal.reason : error;
    }
  }

  async #executeWithin(deadline: Deadline, vsn: string, triggerParameters: TriggerParameters, options: ExecuteOptions): Promise<ExecuteResult> {
    checkVsn(vsn);
    const { callbackUrls, format = 'json', idempotencyKey } = options;
    checkTriggerBody(triggerParameters, callbackUrls);
    if (format !== 'json' && format !== 'xml') throw new TypeError(`format must be 'json' or 'xml', not ${String(format)}`);
    checkIdempotencyKey(idempotencyKey);
    const extra = checkHeaders(options.headers);
    const xml = format === 'xml' ? triggerXml(triggerParameters, callbackUrls) : undefined;
    const parameters = { orgId: this.orgId, vsn, triggerParameter: { triggerParameters, callbackUrls } };
    // Without a key, a request that may have arrived must not be sent again: it could start the service twice.
    const mayRetry = idempotencyKey === undefined ? (failure: { neverSent: boolean }) => failure.neverSent : isTransient;

    const response = await this.#send(deadline, 'executeService', mayRetry, (authorization, signal) => {
      const headers: HTTPHeaders = { ...extra, Authorization: authorization };
      if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
      return this.#execute.send(parameters, headers, xml, signal);
    });
    const result = TriggerResultFromJSON(await readJson(response, 'executeService'));
    const triggerUUID = idOf(result?.triggerUUID);
    if (triggerUUID === undefined) {
      throw new AutoFacilitateError('executeService answered without a triggerUUID', { status: response.status, operation: 'executeService' });
    }
    return {
      triggerUUID,
      ...(typeof result.message === 'string' && { message: result.message }),
      ...(response.headers.get('idempotent-replayed')?.trim().toLowerCase() === 'true' && { replayed: true as const }),
    };
  }

  async #getResultWithin(deadline: Deadline, ref: TriggerRef, headers: Record<string, string> | undefined): Promise<TriggerOutcome> {
    const extra = checkHeaders(headers);
    const parameters = { orgId: this.orgId, ...ref };
    const response = await this.#send(deadline, 'getTriggerResult', isTransient, (authorization, signal) =>
      this.#result.send(parameters, { ...extra, Authorization: authorization }, signal),
    );
    if (response.status === 204) return finishedWithoutOutput(ref);
    const pending = response.status === 202;
    const retryAfterMs = pending ? parseRetryAfter(response.headers.get('retry-after'), this.#env.clock.now()) : undefined;
    return outcomeFromWire(await readJson(response, 'getTriggerResult'), ref, pending, retryAfterMs);
  }
}
