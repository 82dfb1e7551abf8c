import { Configuration, TriggerResultFromJSON, type HTTPHeaders } from '@autofacilitate/client';
import type { TokenProvider } from './auth/token-provider';
import { ExecuteEndpoint, ResultEndpoint } from './endpoints';
import { AutoFacilitateError, type OperationId } from './errors';
import type { Deadline } from './http/deadline';
import { isTransient, runExchange, type CallEnvironment, type Exchange } from './http/exchange';
import { readJson } from './http/read-json';
import { parseRetryAfter } from './http/retry-after';
import { checkHeaders, checkIdempotencyKey } from './option-checks';
import type { ExecuteOptions } from './options';
import { finishedWithoutOutput, idOf, outcomeFromWire, type TriggerOutcome, type TriggerRef } from './trigger/outcome';
import { checkTriggerBody, checkVsn, type TriggerParameters } from './trigger/trigger-input';
import { triggerXml } from './trigger/trigger-xml';

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

/** What the API's two trigger operations need: where, as whom, and the seams they run on. */
export interface TriggerCallsInit {
  orgId: string;
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch | undefined;
  env: CallEnvironment;
  tokens: TokenProvider;
}

/**
 * The API's trigger operations, one exchange each within a deadline the caller owns, so that
 * `execute`, `getResult` and the waits around them share the same request plumbing.
 */
export class TriggerCalls {
  readonly #orgId: string;
  readonly #baseUrl: string;
  readonly #env: CallEnvironment;
  readonly #tokens: TokenProvider;
  readonly #execute: ExecuteEndpoint;
  readonly #result: ResultEndpoint;

  constructor({ orgId, baseUrl, apiKey, fetch, env, tokens }: TriggerCallsInit) {
    this.#orgId = orgId;
    this.#baseUrl = baseUrl;
    this.#env = env;
    this.#tokens = tokens;
    const api = new Configuration({ basePath: baseUrl, apiKey, fetchApi: fetch });
    this.#execute = new ExecuteEndpoint(api);
    this.#result = new ResultEndpoint(api);
  }

  /** Starts `vsn` (`executeService`) within `deadline`, after checking the input against the spec. */
  async execute(
    deadline: Deadline,
    vsn: string,
    triggerParameters: TriggerParameters,
    options: ExecuteOptions,
  ): Promise<ExecuteResult> {
    checkVsn(vsn);
    const { callbackUrls, format = 'json', idempotencyKey } = options;
    checkTriggerBody(triggerParameters, callbackUrls);
    if (format !== 'json' && format !== 'xml')
      throw new TypeError(`format must be 'json' or 'xml', not ${String(format)}`);
    checkIdempotencyKey(idempotencyKey);
    const extra = checkHeaders(options.headers);
    const xml = format === 'xml' ? triggerXml(triggerParameters, callbackUrls) : undefined;
    const parameters = { orgId: this.#orgId, vsn, triggerParameter: { triggerParameters, callbackUrls } };
    // Without a key, a request that may have arrived must not be sent again: it could start the service twice.
    const mayRetry =
      idempotencyKey === undefined ? (failure: { neverSent: boolean }) => failure.neverSent : isTransient;

    const response = await this.#send(deadline, 'executeService', mayRetry, (authorization, signal) => {
      const headers: HTTPHeaders = { ...extra, Authorization: authorization };
      if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
      return this.#execute.send(parameters, headers, xml, signal);
    });
    const result = TriggerResultFromJSON(await readJson(response, 'executeService'));
    const triggerUUID = idOf(result?.triggerUUID);
    if (triggerUUID === undefined) {
      throw new AutoFacilitateError('executeService answered without a triggerUUID', {
        status: response.status,
        operation: 'executeService',
      });
    }
    return {
      triggerUUID,
      ...(typeof result.message === 'string' && { message: result.message }),
      ...(response.headers.get('idempotent-replayed')?.trim().toLowerCase() === 'true' && { replayed: true as const }),
    };
  }

  /** Reads the trigger's outcome (`getTriggerResult`) within `deadline`. */
  async getResult(
    deadline: Deadline,
    ref: TriggerRef,
    headers: Record<string, string> | undefined,
  ): Promise<TriggerOutcome> {
    const extra = checkHeaders(headers);
    const parameters = { orgId: this.#orgId, ...ref };
    const response = await this.#send(deadline, 'getTriggerResult', isTransient, (authorization, signal) =>
      this.#result.send(parameters, { ...extra, Authorization: authorization }, signal),
    );
    if (response.status === 204) return finishedWithoutOutput(ref);
    const pending = response.status === 202;
    const retryAfterMs = pending
      ? parseRetryAfter(response.headers.get('retry-after'), this.#env.clock.now())
      : undefined;
    return outcomeFromWire(await readJson(response, 'getTriggerResult'), ref, pending, retryAfterMs);
  }

  /** Runs an API exchange with the bearer token, retries and one refresh on 401, within `deadline`. */
  async #send(
    deadline: Deadline,
    operation: OperationId,
    mayRetry: Exchange['mayRetry'],
    send: (authorization: string, signal: AbortSignal | undefined) => Promise<Response>,
  ): Promise<Response> {
    let authorization = '';
    try {
      return await runExchange(
        this.#env,
        {
          operation,
          url: this.#baseUrl,
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
}
