import { AccessTokenFromJSON, type HTTPHeaders } from '@autofacilitate/client';
import type { TokenEndpoint } from '../endpoints';
import { AutoFacilitateError } from '../errors';
import { runExchange, isTransient, type CallEnvironment } from '../http/exchange';
import { readJson } from '../http/read-json';
import { untilAborted } from '../time/sleep';

/** An access token from the token service, as {@link AutoFacilitate.getAccessToken} hands it out. */
export interface AccessTokenInfo {
  /** The token, sent as `Authorization: Bearer {accessToken}`. */
  accessToken: string;
  /** Always `Bearer`. */
  tokenType: 'Bearer';
  /** When the token service said the token expires. */
  expiresAt: Date;
  /** The scope granted, when the token service said. */
  scope?: string;
}

interface CachedToken {
  info: AccessTokenInfo;
  /** `Bearer …`, built once. */
  authorization: string;
  /** When to fetch a new one: shortly before `expiresAt`. */
  refreshAt: number;
}

/** One token request shared by every caller that needs a token while it runs. */
interface Flight {
  promise: Promise<CachedToken>;
  controller: AbortController;
  waiters: number;
}

// Refresh this long before expiry (at most a tenth of the lifetime), so a token never expires in flight.
const REFRESH_MARGIN_MS = 60_000;
// Used when the token service leaves out `expires_in` (RFC 6749 only recommends it).
const DEFAULT_LIFETIME_S = 300;

/**
 * OAuth2 client credentials for the whole client: caches the token until shortly before it
 * expires, and shares one in-flight request among all concurrent callers. Each caller waits
 * under its own signal; the request itself is abandoned only when every caller has given up.
 */
export class TokenProvider {
  readonly #endpoint: TokenEndpoint;
  readonly #env: CallEnvironment;
  #token: CachedToken | undefined;
  #flight: Flight | undefined;

  constructor(endpoint: TokenEndpoint, env: CallEnvironment) {
    this.#endpoint = endpoint;
    this.#env = env;
  }

  /** The `Authorization` header value for the next request: cached, or fetched once for everyone. */
  async authorization(signal: AbortSignal): Promise<string> {
    return (this.#fresh() ?? (await this.#join(signal))).authorization;
  }

  /** The current token's details, fetching one if needed (`forceRefresh`: always a new one). */
  async info(signal: AbortSignal, forceRefresh: boolean): Promise<AccessTokenInfo> {
    if (forceRefresh && this.#token) this.invalidate(this.#token.authorization);
    return (this.#fresh() ?? (await this.#join(signal))).info;
  }

  /**
   * Forgets a token the API refused, unless a newer one has replaced it already: when many
   * concurrent calls get 401 for the same token, only one new token is fetched.
   */
  invalidate(authorization: string): void {
    if (this.#token?.authorization === authorization) this.#token = undefined;
  }

  /** Asks the token service directly, with extra request headers; the answer is not cached. */
  async fetchUncached(headers: HTTPHeaders, signal: AbortSignal, remainingMs: () => number): Promise<AccessTokenInfo> {
    return (await this.#request(headers, signal, remainingMs)).info;
  }

  #fresh(): CachedToken | undefined {
    const token = this.#token;
    return token && this.#env.clock.now() < token.refreshAt ? token : undefined;
  }

  async #join(signal: AbortSignal): Promise<CachedToken> {
    const flight = this.#flight ?? this.#takeOff();
    flight.waiters++;
    try {
      return await untilAborted(flight.promise, signal);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && this.#flight === flight) {
        // Everyone gave up: stop the request rather than let it run for nobody.
        this.#flight = undefined;
        flight.controller.abort();
      }
    }
  }

  #takeOff(): Flight {
    const controller = new AbortController();
    const promise = this.#request({}, controller.signal, () => Infinity).then((token) => {
      if (!controller.signal.aborted) this.#token = token;
      return token;
    });
    const flight: Flight = { promise, controller, waiters: 0 };
    const land = () => {
      if (this.#flight === flight) this.#flight = undefined;
    };
    // Waiters see the failure; this keeps a failure nobody waits for from going unhandled.
    promise.then(land, land);
    this.#flight = flight;
    return flight;
  }

  async #request(headers: HTTPHeaders, signal: AbortSignal, remainingMs: () => number): Promise<CachedToken> {
    const { clock, logger } = this.#env;
    logger.debug?.('fetching an access token', { operation: 'getAccessToken' });
    const response = await runExchange(
      this.#env,
      {
        operation: 'getAccessToken',
        url: this.#endpoint.url,
        attempt: (attemptSignal) => this.#endpoint.send(headers, attemptSignal),
        // Asking for a token starts nothing on the server, so every transient failure may be retried.
        mayRetry: isTransient,
      },
      signal,
      remainingMs,
    );
    const token = AccessTokenFromJSON(await readJson(response, 'getAccessToken'));
    if (typeof token?.accessToken !== 'string' || token.accessToken === '') {
      throw new AutoFacilitateError('The token service answered without an access_token', {
        status: response.status,
        operation: 'getAccessToken',
      });
    }
    if (typeof token.tokenType !== 'string' || token.tokenType.toLowerCase() !== 'bearer') {
      throw new AutoFacilitateError(
        `The token service answered a token of type ${String(token.tokenType)}; the API takes Bearer tokens`,
        {
          status: response.status,
          operation: 'getAccessToken',
        },
      );
    }
    const lifetimeS = Number(token.expiresIn);
    const lifetimeMs = (Number.isFinite(lifetimeS) && lifetimeS >= 0 ? lifetimeS : DEFAULT_LIFETIME_S) * 1000;
    const now = clock.now();
    logger.debug?.('fetched an access token', { operation: 'getAccessToken', expiresInMs: lifetimeMs });
    return {
      info: {
        accessToken: token.accessToken,
        tokenType: 'Bearer',
        expiresAt: new Date(now + lifetimeMs),
        ...(typeof token.scope === 'string' ? { scope: token.scope } : {}),
      },
      authorization: `Bearer ${token.accessToken}`,
      refreshAt: now + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10),
    };
  }
}
