import { Configuration } from '@autofacilitate/client';
import { callEnvironment } from '../call-environment';
import { TokenEndpoint } from '../endpoints';
import { TimeoutError } from '../errors';
import { Deadline } from '../http/deadline';
import type { CallEnvironment } from '../http/exchange';
import { checkClient, checkHeaders, duration } from '../option-checks';
import type { AccessTokenOptions, AutoFacilitateOptions } from '../options';
import { resolveTokenUrl } from '../urls';
import { TokenProvider, type AccessTokenInfo } from './token-provider';

/** The options of `new TokenClient(…)`: those of {@link AutoFacilitateOptions} that tokens need. */
export type TokenClientOptions = Omit<AutoFacilitateOptions, 'orgId' | 'apiKey'>;

const DEFAULT_TIMEOUT_MS = 30_000;

// The cache behind each client, for AutoFacilitate's calls; not part of the public API.
const providers = new WeakMap<TokenClient, TokenProvider>();

/** The token cache of a client: {@link AutoFacilitate} sends, shares and refreshes its tokens. */
export function tokenProviderOf(client: TokenClient): TokenProvider {
  return providers.get(client)!;
}

/**
 * Access tokens from the token service, and nothing else: for tools that only need a token. The
 * token service takes the client id and secret; no organisation and no API key.
 * {@link AutoFacilitate} uses one for its own tokens.
 *
 * @example
 * ```ts
 * const tokens = new TokenClient({ region: 'na1', clientId, clientSecret });
 * const { accessToken } = await tokens.getAccessToken();
 * ```
 */
export class TokenClient {
  /** The token service's URL. */
  readonly tokenUrl: string;
  /** The OAuth2 client id (not a secret). */
  readonly clientId: string;

  readonly #env: CallEnvironment;
  readonly #timeoutMs: number;
  readonly #tokens: TokenProvider;

  /** @throws TypeError when an option is missing or malformed. */
  constructor(options: TokenClientOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
    const { clientId, clientSecret } = checkClient(options);
    if (options.fetch !== undefined && typeof options.fetch !== 'function')
      throw new TypeError('fetch must be a function');
    this.clientId = clientId;
    this.tokenUrl = resolveTokenUrl(options);
    this.#timeoutMs = duration('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.#env = callEnvironment(options);
    const configuration = new Configuration({
      basePath: '',
      username: clientId,
      password: clientSecret,
      fetchApi: options.fetch,
    });
    this.#tokens = new TokenProvider(new TokenEndpoint(this.tokenUrl, configuration), this.#env);
    providers.set(this, this.#tokens);
  }

  /**
   * The access token: cached until shortly before it expires, fetched once for all concurrent
   * callers. With `forceRefresh`, a new one. With `headers`, the token service is asked directly
   * with them and the answer is not cached.
   *
   * @throws AuthError carrying the RFC 6749 `error` code (`oauthError`) when the token service refuses the client.
   */
  async getAccessToken(options: AccessTokenOptions = {}): Promise<AccessTokenInfo> {
    const budget = duration('timeoutMs', options.timeoutMs, this.#timeoutMs);
    const deadline = new Deadline(
      this.#env.clock,
      budget,
      options.signal,
      () =>
        new TimeoutError(`getAccessToken did not finish within ${budget} ms`, {
          timeoutMs: budget,
          operation: 'getAccessToken',
        }),
    );
    try {
      if (options.headers !== undefined) {
        return await this.#tokens.fetchUncached(checkHeaders(options.headers), deadline.signal, () =>
          deadline.remainingMs(),
        );
      }
      return await this.#tokens.info(deadline.signal, options.forceRefresh === true);
    } catch (error) {
      throw deadline.signal.aborted ? deadline.signal.reason : error;
    } finally {
      deadline.dispose();
    }
  }

  /** Names the client without its secret. */
  toString(): string {
    return `TokenClient(tokenUrl=${this.tokenUrl}, clientId=${this.clientId})`;
  }

  /** The client's settings without its secret, for logs. */
  toJSON(): Record<string, string> {
    return { tokenUrl: this.tokenUrl, clientId: this.clientId };
  }

  /** What Node's `util.inspect` and `console.log` show: the same as {@link TokenClient.toString}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
