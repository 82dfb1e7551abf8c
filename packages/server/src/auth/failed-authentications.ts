import type { RateConfig } from '../config/server-config';
import { clientAuthenticationThrottled, tokenLimitUnchecked } from '../errors/catalogue';
import type { RateLimiter } from '../limits/rate-limiter';

/**
 * Bounds credential guessing at the token endpoint: each client authentication takes a token from
 * the client id's bucket and from the source address's before the secret is checked, and gives them
 * back when it succeeds, so that only failures spend them. While either bucket is empty the endpoint
 * answers 429 without checking the secret. Taking first means guesses arriving together, on any
 * process, are counted before any is checked. Other client ids and addresses are unaffected.
 */
export class FailedAuthentications {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly rate: RateConfig,
  ) {}

  /**
   * Takes the tokens of an authentication about to be checked; throws the 429 while `clientId` or
   * `address` has failed too often, and a 503 when the store cannot say (fail closed: a guess that
   * cannot be counted is not checked).
   */
  async reserve(clientId: string, address: string): Promise<void> {
    const keys = [`client\n${clientId}`, `address\n${address}`];
    const waits = await this.#unchecked(Promise.all(keys.map((key) => this.limiter.take(key, this.rate))));
    const wait = Math.max(...waits.map((seconds) => seconds ?? 0));
    if (wait === 0) return;
    // The bucket that had a token gives it back: nothing was checked.
    const taken = keys.filter((_key, index) => waits[index] === undefined);
    await this.#unchecked(Promise.all(taken.map((key) => this.limiter.giveBack(key, this.rate))));
    throw clientAuthenticationThrottled(wait);
  }

  /** The client authenticated: its reserved tokens were not a failure. */
  async succeeded(clientId: string, address: string): Promise<void> {
    const keys = [`client\n${clientId}`, `address\n${address}`];
    await this.#unchecked(Promise.all(keys.map((key) => this.limiter.giveBack(key, this.rate))));
  }

  #unchecked<T>(check: Promise<T>): Promise<T> {
    return check.catch((error: unknown) => {
      throw tokenLimitUnchecked(error);
    });
  }
}
