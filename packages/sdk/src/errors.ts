// One base class with narrow subclasses. `instanceof` is answered from a brand stored under a
// registered symbol, not from the prototype chain, so it still holds when an application ends up
// with two copies of the package (ESM and CJS, or two versions in node_modules).

const KINDS = Symbol.for('@autofacilitate/sdk:error-kinds');

/** The operation of the API a call was making, by its operationId in the spec. */
export type OperationId = 'getAccessToken' | 'executeService' | 'getTriggerResult' | AdminOperationId;

/** The operations of the admin API, called by {@link AutoFacilitateAdmin}. */
export type AdminOperationId =
  | 'listAdminTriggers'
  | 'getAdminTrigger'
  | 'resendAdminDelivery'
  | 'listAdminServices'
  | 'getAdminUsage'
  | 'streamAdminEvents';

/** One problem the server found with a request: an entry of `ErrorResponse.errors`. */
export interface ErrorDetail {
  /** Where the problem is (`global`, or the part of the request concerned). */
  scope?: string;
  /** A short category of the problem. */
  reason?: string;
  /** The problem, for people. */
  message?: string;
}

/** What every {@link AutoFacilitateError} may carry, as handed to its constructor. */
export interface AutoFacilitateErrorInit {
  /** The HTTP status of the response, when there was one. */
  status?: number;
  /** `ErrorResponse.code` as the wire carried it (`400` or `"400"`); defaults to `status`. */
  code?: number | string;
  /** `ErrorResponse.errors`. */
  errors?: readonly ErrorDetail[];
  /** `ErrorResponse.message` as the server sent it (its headline, such as `Not found`). */
  responseMessage?: string;
  /** The server's request id (`x-request-id` or `request-id` response header). */
  requestId?: string;
  /** The operation the call was making. */
  operation?: OperationId;
  /** How long the server asked the client to wait before trying again (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** The underlying failure. */
  cause?: unknown;
}

interface ErrorClass {
  readonly kind: string;
}

/** Keeps the documented fields of one `Error` entry, whatever else it carries; `undefined` for a non-object. */
export function errorDetail(value: unknown): ErrorDetail | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { scope, reason, message } = value as Record<string, unknown>;
  return {
    ...(typeof scope === 'string' ? { scope } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** Reads `ErrorResponse.code` as a number whether the wire says `400` or `"400"`. */
export function normaliseCode(code: unknown, status: number | undefined): number | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return code;
  if (typeof code === 'string' && /^\d{1,3}$/.test(code.trim())) return Number(code.trim());
  return status;
}

/**
 * The base of every error the SDK throws. Catch this to handle them all; catch a subclass to
 * handle one kind. Never carries credentials: no request headers, no token, no secret.
 */
export class AutoFacilitateError extends Error {
  /** The class's name, also its brand for `instanceof` across copies of the package. */
  static readonly kind: string = 'AutoFacilitateError';

  /** `instanceof` by brand, so it works across copies of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // An application's own subclass has no brand of its own: the prototype chain decides.
    if (!Object.hasOwn(this, 'kind')) return Function.prototype[Symbol.hasInstance].call(this, value);
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  /** The HTTP status of the response, or `undefined` when there was none (timeout, network, local check). */
  readonly status: number | undefined;
  /** The error code as a number, read from `ErrorResponse.code` (`400` or `"400"`), else the status. */
  readonly code: number | undefined;
  /** The individual problems the server listed (`ErrorResponse.errors`), or found locally. */
  readonly errors: readonly ErrorDetail[];
  /**
   * `ErrorResponse.message` as the server sent it: a headline such as `Not found`. `message` says
   * more when the server did (the details of `errors`).
   */
  readonly responseMessage: string | undefined;
  /** The server's request id, to quote when asking its operators about a call. */
  readonly requestId: string | undefined;
  /** The operation the call was making. */
  readonly operation: OperationId | undefined;
  /** How long the server asked the client to wait before trying again, in ms (`Retry-After`). */
  readonly retryAfterMs: number | undefined;

  /** @param message - what went wrong, for people. */
  constructor(message: string, init: AutoFacilitateErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    const kinds: string[] = [];
    for (let type: object | null = new.target; type !== null && type !== Error; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, 'kind')) kinds.push((type as ErrorClass).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
    Object.defineProperty(this, 'name', {
      value: (new.target as unknown as ErrorClass).kind,
      configurable: true,
      writable: true,
    });
    this.status = init.status;
    this.code = normaliseCode(init.code, init.status);
    this.errors = init.errors ?? [];
    this.responseMessage = init.responseMessage;
    this.requestId = init.requestId;
    this.operation = init.operation;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The error's fields as plain data, for structured logs. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...Object.fromEntries(Object.entries(this)) };
  }
}

/**
 * Which credential was refused: the client id and secret (by the token service), the access token
 * or the API key (by the API, which says which in its `Refused-Credential` header).
 */
export type RefusedCredential = 'client' | 'accessToken' | 'apiKey' | 'adminKey';

/** What an {@link AuthError} may carry besides the common fields. */
export interface AuthErrorInit extends AutoFacilitateErrorInit {
  /** Which credential was refused, when it is known. */
  credential?: RefusedCredential;
  /** The RFC 6749 §5.2 `error` code the token service answered (`invalid_client`, `invalid_scope`, …). */
  oauthError?: string;
  /** The token service's `error_description`. */
  oauthErrorDescription?: string;
  /** The `WWW-Authenticate` challenge of the response. */
  wwwAuthenticate?: string;
}

/**
 * The credentials were refused: the token service turned the client down (carrying the RFC 6749
 * `error` code), or the API refused the API key, or answered 401 even with a freshly fetched
 * token, or 403. `credential` says which was refused.
 */
export class AuthError extends AutoFacilitateError {
  static override readonly kind: string = 'AuthError';
  /** Which credential was refused: `client`, `accessToken`, `apiKey` or `adminKey`; `undefined` when the server did not say. */
  readonly credential: RefusedCredential | undefined;
  /** The RFC 6749 §5.2 `error` code when the token service refused the client, e.g. `invalid_client`. */
  readonly oauthError: string | undefined;
  /** The token service's `error_description`. */
  readonly oauthErrorDescription: string | undefined;
  /** The `WWW-Authenticate` challenge of the response, which says why a token was refused. */
  readonly wwwAuthenticate: string | undefined;

  constructor(message: string, init: AuthErrorInit = {}) {
    super(message, init);
    this.credential = init.credential;
    this.oauthError = init.oauthError;
    this.oauthErrorDescription = init.oauthErrorDescription;
    this.wwwAuthenticate = init.wwwAuthenticate;
  }
}

/** The organisation, service (`vsn`) or trigger does not exist (404). */
export class NotFoundError extends AutoFacilitateError {
  static override readonly kind: string = 'NotFoundError';
}

/**
 * The request was refused as invalid: by the server (400, 413, 415, 422) or, before anything was
 * sent, by the SDK's own checks (then `status` is `undefined` and `errors` says what and where).
 */
export class ValidationError extends AutoFacilitateError {
  static override readonly kind: string = 'ValidationError';
}

/** The server asked the client to slow down (429); `retryAfterMs` says for how long when it said. */
export class RateLimitError extends AutoFacilitateError {
  static override readonly kind: string = 'RateLimitError';
}

/** What a {@link ServerError} may carry besides the common fields. */
export interface ServerErrorInit extends AutoFacilitateErrorInit {
  /** The RFC 6749 `error` code the token service answered with its 5xx (`temporarily_unavailable`). */
  oauthError?: string;
  /** The token service's `error_description`. */
  oauthErrorDescription?: string;
}

/**
 * The server failed (5xx). A token service that failed with an RFC 6749 body (a 503
 * `temporarily_unavailable`) leaves its code in `oauthError`.
 */
export class ServerError extends AutoFacilitateError {
  static override readonly kind: string = 'ServerError';
  /** The token service's RFC 6749 `error` code, when it failed with one. */
  readonly oauthError: string | undefined;
  /** The token service's `error_description`. */
  readonly oauthErrorDescription: string | undefined;

  constructor(message: string, init: ServerErrorInit = {}) {
    super(message, init);
    this.oauthError = init.oauthError;
    this.oauthErrorDescription = init.oauthErrorDescription;
  }
}

/** The request never got an answer: DNS, connection or transfer failure. `cause` has the details. */
export class ConnectionError extends AutoFacilitateError {
  static override readonly kind: string = 'ConnectionError';
}

/** What a {@link TimeoutError} may carry besides the common fields. */
export interface TimeoutErrorInit extends AutoFacilitateErrorInit {
  /** The deadline that passed, in ms. */
  timeoutMs: number;
  /** The trigger being waited for, once execute had answered. */
  triggerUUID?: string;
}

/** The call's deadline passed before it finished: one deadline covers token fetch, retries and polling. */
export class TimeoutError extends AutoFacilitateError {
  static override readonly kind: string = 'TimeoutError';
  /** The deadline that passed, in ms. */
  readonly timeoutMs: number;
  /** The trigger being waited for (`executeAndWait`), so its result can still be fetched later. */
  readonly triggerUUID: string | undefined;

  constructor(message: string, init: TimeoutErrorInit) {
    super(message, init);
    this.timeoutMs = init.timeoutMs;
    this.triggerUUID = init.triggerUUID;
  }
}

/** Why a callback was refused by {@link verifyCallback}. */
export type CallbackFailure =
  'missing_header' | 'invalid_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature' | 'invalid_payload';

/** A callback failed verification or could not be read: do not trust it. */
export class CallbackVerificationError extends AutoFacilitateError {
  static override readonly kind: string = 'CallbackVerificationError';
  /** Why the callback was refused. */
  readonly reason: CallbackFailure;

  constructor(message: string, reason: CallbackFailure, init: AutoFacilitateErrorInit = {}) {
    super(message, init);
    this.reason = reason;
  }
}

/** The subclass for an HTTP error status. */
export function errorClassForStatus(status: number): typeof AutoFacilitateError {
  if (status === 401 || status === 403) return AuthError;
  if (status === 404) return NotFoundError;
  if (status === 400 || status === 413 || status === 415 || status === 422) return ValidationError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return AutoFacilitateError;
}
