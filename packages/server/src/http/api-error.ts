/** The seed's `ErrorResponse`. */
export interface ErrorResponse {
  code: string;
  message: string;
  errors: Array<{ scope: string; reason: string; message: string }>;
}

// The headline of each status, as the spec's examples word it.
const headlines: Record<number, string> = {
  400: 'Validation exception',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal server error',
};

/** The headline the `ErrorResponse.message` of a status carries. */
export function headline(statusCode: number): string {
  return headlines[statusCode] ?? (statusCode >= 500 ? 'Internal server error' : 'Request refused');
}

/** One problem, in the seed's `Error` shape. */
export interface Problem {
  /** Which part of the request is concerned: `global`, `body.callbackUrls[0]`, `path.vsn`… */
  scope: string;
  /** A short category of the problem. */
  reason: string;
  message: string;
}

/** A refusal the API answers with an `ErrorResponse`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status. */
    readonly statusCode: number,
    /** What is wrong; at least one problem. */
    readonly problems: [Problem, ...Problem[]],
    /** Headers the answer carries, such as `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problems[0].message);
  }

  /** The body to send. */
  toResponse(): ErrorResponse {
    return { code: String(this.statusCode), message: headline(this.statusCode), errors: this.problems };
  }
}

/** 400: the request is malformed. */
export function badRequest(scope: string, message: string): ApiError {
  return new ApiError(400, [{ scope, reason: 'Invalid request', message }]);
}

/** 404: the resource does not exist, or belongs to an organisation the caller is not part of. */
export function notFound(scope: string, message: string): ApiError {
  return new ApiError(404, [{ scope, reason: 'Not found', message }]);
}

/** 422: the request is well-formed but cannot be processed. */
export function unprocessable(problems: [Problem, ...Problem[]]): ApiError {
  return new ApiError(422, problems);
}

/** 409: another request holds what this one needs (an `Idempotency-Key`); retry once it is done. */
export function conflict(scope: string, reason: string, message: string): ApiError {
  return new ApiError(409, [{ scope, reason, message }]);
}

/** 429: slow down; `Retry-After` says for how long, in whole seconds (at least 1). */
export function tooManyRequests(retryAfterSeconds: number, reason: string, message: string): ApiError {
  return new ApiError(429, [{ scope: 'global', reason, message }], { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}

/**
 * 401, answered with no body and a `WWW-Authenticate` challenge (RFC 6750 §3), as the seed
 * documents 401 without a body.
 */
export class Unauthorized extends Error {
  override readonly name = 'Unauthorized';

  constructor(
    /** The RFC 6750 error code; absent when the request carried no credentials at all. */
    readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined,
    description: string,
  ) {
    super(description);
  }

  /** The `WWW-Authenticate` header value. */
  challenge(): string {
    const parts = ['Bearer realm="autofacilitate"'];
    if (this.error) {
      parts.push(`error="${this.error}"`, `error_description="${this.message}"`);
      if (this.error === 'insufficient_scope') parts.push('scope="autofacilitateapi"');
    }
    return parts.join(', ');
  }
}
