import { TokenClient, tokenProviderOf } from './auth/token-client';
import type { AccessTokenInfo } from './auth/token-provider';
import { callEnvironment } from './call-environment';
import { TimeoutError, type OperationId } from './errors';
import { Deadline } from './http/deadline';
import type { CallEnvironment } from './http/exchange';
import type {
  AccessTokenOptions,
  AutoFacilitateOptions,
  CallOptions,
  ExecuteAndWaitOptions,
  ExecuteOptions,
  WaitOptions,
} from './options';
import type { TriggerFinished, TriggerOutcome, TriggerRef } from './trigger/outcome';
import { pollUntilFinished, type PollPacing } from './trigger/poll';
import { checkTriggerUUID, checkVsn, type TriggerParameters } from './trigger/trigger-input';
import { waitUnderDeadline } from './trigger/wait';
import { TriggerCalls, type ExecuteResult } from './trigger-calls';
import { checkCredentials, duration } from './option-checks';
import { resolveUrls } from './urls';

// The package index exports the execute answer beside the class that gives it.
export type { ExecuteResult } from './trigger-calls';

const DEFAULT_TIMEOUT_MS = 30_000;

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
  readonly #calls: TriggerCalls;

  /** @throws TypeError when an option is missing or malformed. */
  constructor(options: AutoFacilitateOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('new AutoFacilitate(options): options are required');
    const { orgId, clientId, clientSecret, apiKey } = checkCredentials(options);
    this.orgId = orgId;
    this.clientId = clientId;
    if (options.fetch !== undefined && typeof options.fetch !== 'function')
      throw new TypeError('fetch must be a function');

    const urls = resolveUrls(options);
    this.baseUrl = urls.baseUrl;
    this.tokenUrl = urls.tokenUrl;
    this.#timeoutMs = duration('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.#env = callEnvironment(options);
    this.#tokenClient = new TokenClient({ ...options, tokenUrl: this.tokenUrl, clientSecret });
    const tokens = tokenProviderOf(this.#tokenClient);
    this.#calls = new TriggerCalls({
      orgId,
      baseUrl: this.baseUrl,
      apiKey,
      fetch: options.fetch,
      env: this.#env,
      tokens,
    });
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
  async execute(
    vsn: string,
    triggerParameters: TriggerParameters = {},
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult> {
    const deadline = this.#deadline('executeService', options.timeoutMs, options.signal);
    try {
      return await this.#calls.execute(deadline, vsn, triggerParameters, options);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Reads the result of a trigger (`getTriggerResult`): finished (200 with the outcome, or the
   * Alvaria's API reference's 204 with nothing more to say) or still in progress (202). Retried on network failures,
   * 429 and 5xx, honouring `Retry-After`.
   *
   * @param triggerUUID - as `execute` answered it; a number is accepted too (Alvaria's API reference types it as integer).
   * @returns the outcome: switch on `status`, or test `done`.
   */
  async getResult(vsn: string, triggerUUID: string | number, options: CallOptions = {}): Promise<TriggerOutcome> {
    const deadline = this.#deadline('getTriggerResult', options.timeoutMs, options.signal);
    try {
      return await this.#calls.getResult(
        deadline,
        { vsn: checkVsn(vsn), triggerUUID: checkTriggerUUID(triggerUUID) },
        options.headers,
      );
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
  async executeAndWait(
    vsn: string,
    triggerParameters: TriggerParameters = {},
    options: ExecuteAndWaitOptions = {},
  ): Promise<TriggerFinished> {
    let ref: TriggerRef | undefined;
    return waitUnderDeadline(
      this.#env.clock,
      vsn,
      options,
      () => ref,
      async (deadline, pacing) => {
        const started = await this.#calls.execute(deadline, vsn, triggerParameters, options);
        ref = { vsn, triggerUUID: started.triggerUUID };
        options.onStarted?.(started);
        return this.#pollWithin(deadline, ref, pacing, options);
      },
    );
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
    return waitUnderDeadline(
      this.#env.clock,
      vsn,
      options,
      () => ref,
      (deadline, pacing) => this.#pollWithin(deadline, ref, pacing, options),
    );
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

  #pollWithin(deadline: Deadline, ref: TriggerRef, pacing: PollPacing, options: WaitOptions): Promise<TriggerFinished> {
    return pollUntilFinished(
      () => this.#calls.getResult(deadline, ref, options.headers),
      options.onProgress,
      pacing,
      this.#env.clock,
      this.#env.random,
      deadline.signal,
    );
  }

  #deadline(operation: OperationId, timeoutMs: number | undefined, signal: AbortSignal | undefined): Deadline {
    const budget = duration('timeoutMs', timeoutMs, this.#timeoutMs);
    return new Deadline(
      this.#env.clock,
      budget,
      signal,
      () => new TimeoutError(`${operation} did not finish within ${budget} ms`, { timeoutMs: budget, operation }),
    );
  }
}
