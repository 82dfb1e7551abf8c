import { AutoFacilitateError, ConnectionError, type OperationId } from '../errors';
import type { Logger } from '../logger';
import type { Clock } from '../time/clock';
import type { Random } from '../time/random';
import { sleep } from '../time/sleep';
import { errorFromResponse, refusedCredential } from './error-from-response';
import { wasNeverSent } from './never-sent';
import { backoffDelay, isTransientStatus, type RetryPolicy } from './retry-policy';

/** What every call runs with: time, randomness, the retry policy and the logger. */
export interface CallEnvironment {
  clock: Clock;
  random: Random;
  retry: RetryPolicy;
  logger: Logger;
}

/** One failed attempt, as the retry decision sees it. */
export interface Failure {
  /** The error the call ends with if it is not retried. */
  error: AutoFacilitateError;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The request provably never left (connection refused, DNS failure): the server started nothing. */
  neverSent: boolean;
}

/** Whether a failure is one a safe request may retry: no answer, 429 or 5xx. */
export function isTransient(failure: Failure): boolean {
  return failure.status === undefined || isTransientStatus(failure.status);
}

/** One request of the API, as the retry loop drives it. */
export interface Exchange {
  operation: OperationId;
  /** Where the request goes (the API's base URL, or the token URL), to name in a connection failure. */
  url: string;
  /**
   * Makes one attempt and resolves with whatever the server answered. Rejecting with an
   * {@link AutoFacilitateError} ends the call as is (e.g. the token service refused the client);
   * rejecting with anything else is a network failure.
   */
  attempt(signal: AbortSignal): Promise<Response>;
  /** Whether this failure may be retried: the rule that keeps a POST from triggering twice. */
  mayRetry(failure: Failure): boolean;
  /**
   * Called on the first 401 that refused the access token: drop it. The request is then made once
   * more. A refused API key is not retried: a new token would not change the answer.
   */
  onUnauthorized?(): void;
}

/** Drops a body that will not be read, so the connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/**
 * Runs an exchange until it answers 2xx, retrying what `mayRetry` allows with full-jitter backoff
 * or the server's `Retry-After`, within `remainingMs`. Rejects with the signal's reason once it
 * aborts (the deadline's timeout or the caller's own reason), and never sleeps past the deadline:
 * when the next wait would outlast it, the last failure is thrown at once.
 */
export async function runExchange(
  env: CallEnvironment,
  exchange: Exchange,
  signal: AbortSignal,
  remainingMs: () => number,
): Promise<Response> {
  let refreshed = false;
  for (let retries = 0; ; retries++) {
    let failure: Failure;
    try {
      signal.throwIfAborted();
      const response = await exchange.attempt(signal);
      if (response.ok) return response;
      if (
        response.status === 401 &&
        exchange.onUnauthorized &&
        !refreshed &&
        refusedCredential(response) === 'accessToken'
      ) {
        // A 401 is a refusal before anything ran, so even a POST may be repeated once with a new token.
        refreshed = true;
        await discard(response);
        exchange.onUnauthorized();
        env.logger.debug?.(`${exchange.operation} answered 401: fetching a new token and trying once more`, {
          operation: exchange.operation,
        });
        retries--;
        continue;
      }
      failure = {
        error: await errorFromResponse(response, exchange.operation, env.clock.now()),
        status: response.status,
        neverSent: false,
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof AutoFacilitateError) throw error;
      const cause = (error as { cause?: unknown }).cause ?? error;
      failure = { error: connectionError(exchange, cause), neverSent: wasNeverSent(error) };
    }
    if (retries >= env.retry.maxRetries || !exchange.mayRetry(failure)) throw failure.error;
    const delayMs = failure.error.retryAfterMs ?? backoffDelay(env.retry, retries, env.random);
    if (delayMs >= remainingMs()) throw failure.error;
    env.logger.warn?.(
      `${exchange.operation} failed (${failure.status ?? failure.error.name}); retry ${retries + 1} of ${env.retry.maxRetries} in ${delayMs} ms`,
      {
        operation: exchange.operation,
        status: failure.status,
        retry: retries + 1,
        delayMs,
      },
    );
    await sleep(env.clock, delayMs, signal);
  }
}

/** A network failure, naming where the request went; a refused connection asks whether the server runs. */
function connectionError({ operation, url }: Exchange, cause: unknown): ConnectionError {
  const why = describe(cause);
  const message =
    why === 'ECONNREFUSED'
      ? `${operation} could not connect to ${url} (ECONNREFUSED): is the server running?`
      : `${operation} got no answer from ${url}: ${why}`;
  return new ConnectionError(message, { operation, cause });
}

/** A network failure in a few words, from the innermost cause that has a code or a message. */
function describe(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return String(cause);
  const { code, message } = cause as { code?: unknown; message?: unknown };
  const inner = (cause as { cause?: unknown }).cause;
  if (typeof code === 'string') return code;
  if (inner !== undefined) return describe(inner);
  return typeof message === 'string' ? message : 'network failure';
}
