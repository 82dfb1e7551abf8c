/**
 * The base of every error the server declares (see `catalogue.ts`): a stable `code` to log, test
 * and search for, whatever the message says, and the HTTP status it answers with.
 */
export class ServerError extends Error {
  override readonly name: string = 'ServerError';

  constructor(
    /** `AF_ERR_…`: stable across releases. */
    readonly code: string,
    /** The HTTP status it answers with; 500 for errors that never reach a client as themselves. */
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** One problem of an `ErrorResponse`, with the code of the error that found it. */
export interface Problem {
  code: string;
  /** Which part of the request is concerned: `global`, `body.callbackUrls[0]`, `path.vsn`… */
  scope: string;
  /** A short category of the problem. */
  reason: string;
  message: string;
}

/** A refusal the API answers with an `ErrorResponse` listing its problems. */
export class ApiError extends ServerError {
  override readonly name = 'ApiError';

  constructor(
    code: string,
    statusCode: number,
    /** What is wrong; at least one problem. */
    readonly problems: [Problem, ...Problem[]],
    /** Headers the answer carries, such as `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, statusCode, problems[0].message);
  }
}

/** The error codes of RFC 6750 §3; none when the request carried no credentials at all. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;

/** Which credential a 401 refused, as its `Refused-Credential` header says: a new token helps only with the first. */
export type RefusedCredential = 'access-token' | 'api-key';

/** A 401, answered with no body (as Alvaria's API reference documents it) and a challenge. */
export class Unauthorized extends ServerError {
  override readonly name = 'Unauthorized';

  constructor(
    code: string,
    readonly error: BearerErrorCode,
    message: string,
    readonly credential: RefusedCredential = 'access-token',
  ) {
    super(code, 401, message);
  }
}

/**
 * The error codes of RFC 6749 §5.2, `server_error` for a token request that failed and
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1) when the store does not answer.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'slow_down'
  | 'server_error'
  | 'temporarily_unavailable';

const oauthStatus: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  slow_down: 429,
  server_error: 500,
  temporarily_unavailable: 503,
};

/** A refusal of the token endpoint, answered as RFC 6749 §5.2 says. */
export class OAuthError extends ServerError {
  override readonly name = 'OAuthError';

  constructor(
    code: string,
    readonly error: OAuthErrorCode,
    message: string,
    /** Headers the answer carries, such as `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    // 401 when the client could not be authenticated, 429 when it failed too often (RFC 8628's `slow_down`).
    super(code, oauthStatus[error] ?? 400, message);
  }
}
