import {
  AdminApi,
  Configuration,
  ResponseError,
  type AdminApiKeyUsage,
  type AdminDelivery,
  type AdminDeliveryEvent,
  type AdminService,
  type AdminTrigger,
  type AdminTriggerEvent,
  type AdminTriggerSummary,
  type DeliveryState,
  type TriggerState,
} from '@autofacilitate/client';
import { AuthError, ConnectionError, type AdminOperationId, type AutoFacilitateError } from '../errors';
import { errorFromResponse } from '../http/error-from-response';
import { serverSentEvents } from './server-sent-events';

/** How to reach the admin operations of one organisation. */
export interface AutoFacilitateAdminOptions {
  /** The self-hosted server, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  orgId: string;
  /** An admin key of the organisation, or an operator key. */
  adminKey: string;
  /** The fetch to use; the platform's by default. */
  fetch?: typeof fetch;
}

/** Which triggers {@link AutoFacilitateAdmin.triggers} lists. */
export interface TriggerFilters {
  status?: TriggerState;
  vsn?: string;
  createdFrom?: Date;
  createdBefore?: Date;
  /** Triggers with a callback delivery in this state. */
  callbackState?: DeliveryState;
  /** How many triggers each request fetches (1 to 100). */
  pageSize?: number;
}

/** One change of the admin event stream. */
export type AdminEvent = { type: 'trigger'; data: AdminTriggerEvent } | { type: 'delivery'; data: AdminDeliveryEvent };

/**
 * The admin API of the self-hosted server, for operators: triggers listed as an async iterator
 * that fetches page after page, one trigger with its deliveries, resend, services, usage, and the
 * event stream as an async iterable. Errors are the SDK's typed errors.
 *
 * @example
 * ```ts
 * const admin = new AutoFacilitateAdmin({ baseUrl: 'http://127.0.0.1:8080', orgId: 'demo', adminKey });
 * for await (const trigger of admin.triggers({ status: 'failed' })) console.log(trigger.triggerUUID);
 * ```
 */
export class AutoFacilitateAdmin {
  readonly orgId: string;
  readonly baseUrl: string;
  readonly #api: AdminApi;
  readonly #adminKey: string;
  readonly #fetch: typeof fetch;

  /** @throws TypeError when an option is missing. */
  constructor(options: AutoFacilitateAdminOptions) {
    for (const name of ['baseUrl', 'orgId', 'adminKey'] as const) {
      if (typeof options?.[name] !== 'string' || options[name] === '')
        throw new TypeError(`new AutoFacilitateAdmin(options): ${name} is required`);
    }
    this.orgId = options.orgId;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#adminKey = options.adminKey;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#api = new AdminApi(
      new Configuration({ basePath: this.baseUrl, accessToken: async () => this.#adminKey, fetchApi: this.#fetch }),
    );
  }

  /** Every trigger that matches, newest first; each page is fetched when the one before is read. */
  async *triggers(filters: TriggerFilters = {}): AsyncGenerator<AdminTriggerSummary> {
    const { pageSize, ...rest } = filters;
    let cursor: string | undefined;
    do {
      const page = await this.#call('listAdminTriggers', () =>
        this.#api.listAdminTriggers({ orgId: this.orgId, ...rest, limit: pageSize, cursor }),
      );
      yield* page.triggers;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  /** One trigger, with its parameters, outcome, timeline and deliveries. */
  trigger(triggerUUID: string): Promise<AdminTrigger> {
    return this.#call('getAdminTrigger', () => this.#api.getAdminTrigger({ orgId: this.orgId, triggerUUID }));
  }

  /** Sends a trigger's callback again to one URL, under the same `webhook-id`; the delivery, pending. */
  resend(triggerUUID: string, deliveryId: number): Promise<AdminDelivery> {
    return this.#call('resendAdminDelivery', () =>
      this.#api.resendAdminDelivery({ orgId: this.orgId, triggerUUID, deliveryId }),
    );
  }

  /** The organisation's services, with their queue and last hour's outcomes. */
  async services(): Promise<AdminService[]> {
    return (await this.#call('listAdminServices', () => this.#api.listAdminServices({ orgId: this.orgId }))).services;
  }

  /** How often each API key called each operation. */
  async usage(): Promise<AdminApiKeyUsage[]> {
    return (await this.#call('getAdminUsage', () => this.#api.getAdminUsage({ orgId: this.orgId }))).apiKeys;
  }

  /**
   * The organisation's changes as they happen, until the server ends the stream or `signal`
   * aborts; connect again for more. `onOpen` is called once the server streams: every change
   * after it is on the stream. Times stay ISO strings, as the stream sends them.
   */
  async *events({ signal, onOpen }: { signal?: AbortSignal; onOpen?: () => void } = {}): AsyncGenerator<AdminEvent> {
    const url = `${this.baseUrl}/admin/v1/organizations/${encodeURIComponent(this.orgId)}/events`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        headers: { authorization: `Bearer ${this.#adminKey}`, accept: 'text/event-stream' },
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) return;
      throw new ConnectionError(`streamAdminEvents could not reach ${this.baseUrl}`, { cause });
    }
    if (!response.ok) throw await this.#error(response, 'streamAdminEvents');
    onOpen?.();
    try {
      for await (const { event, data } of serverSentEvents(response.body!)) {
        if (event === 'trigger' || event === 'delivery') yield { type: event, data: JSON.parse(data) } as AdminEvent;
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
  }

  async #call<T>(operation: AdminOperationId, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ResponseError) throw await this.#error(error.response, operation);
      throw new ConnectionError(`${operation} could not reach ${this.baseUrl}`, { cause: error });
    }
  }

  async #error(response: Response, operation: AdminOperationId): Promise<AutoFacilitateError> {
    const error = await errorFromResponse(response, operation, Date.now());
    if (!(error instanceof AuthError) || response.status !== 401) return error;
    // An admin operation's 401 refused the admin key: execute's header naming the credential does not apply.
    const why = (error.errors ?? []).map((detail) => detail.message).filter(Boolean);
    return new AuthError(['The admin key was refused', ...why].join(': '), {
      status: 401,
      operation,
      requestId: error.requestId,
      errors: error.errors,
      credential: 'adminKey',
      wwwAuthenticate: error.wwwAuthenticate,
    });
  }
}
