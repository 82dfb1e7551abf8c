/**
 * Where the SDK reports what it does: token fetches and refreshes (`debug`), retries (`warn`).
 * Every method is optional, so `console` fits, as do pino and winston loggers. Messages and
 * fields never carry credentials: no headers, no token, no secret, no API key.
 */
export interface Logger {
  /** Routine events: a token fetched, a token refreshed after a 401. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Noteworthy events. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Recoverable trouble: a request that failed and is retried. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** Failures. */
  error?(message: string, fields?: Record<string, unknown>): void;
}
