import type { RateConfig } from '../config/server-config';
import { clientAuthenticationThrottled, tokenLimitUnchecked } from '../errors/catalogue';
import type { RateLimiter } from '../limits/rate-limiter';

/**
 * Bounds credential guessing at the token endpoint: each failed client authentication takes a
 * token from the client id's bucket and from the source address's; while either is empty, the
 * endpoint answers 429 without checking the secret. Other client ids and addresses are unaffected.
 */
export class FailedAuthentications {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly rate: RateConfig,
  ) {}

  /**
   * Throws the 429 while `clientId` or `address` has failed too often, and a 503 when the store
   * cannot say: fail closed, since a guess it cannot count must not be checked.
   */
  async check(clientId: string, address: string): Promise<void> {
    const waits = await this.#unchecked(
      Promise.all([
        this.limiter.wait(`client\n${clientId}`, this.rate),
        this.limiter.wait(`address\n${address}`, this.rate),
      ]),
    );
    const wait = Math.max(...waits.map((seconds) => seconds ?? 0));
    if (wait > 0) throw clientAuthenticationThrottled(wait);
  }

  async failed(clientId: string, address: string): Promise<void> {
    await this.#unchecked(
      Promise.all([
        this.limiter.take(`client\n${clientId}`, this.rate),
        this.limiter.take(`address\n${address}`, this.rate),
      ]),
    );
  }

  #unchecked<T>(check: Promise<T>): Promise<T> {
    return check.catch((error: unknown) => {
      throw tokenLimitUnchecked(error);
    });
  }
}
