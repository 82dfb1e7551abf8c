import type { RateConfig } from '../config/server-config';
import { clientAuthenticationThrottled } from '../errors/catalogue';
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

  /** Throws the 429 while `clientId` or `address` has failed too often. */
  check(clientId: string, address: string): void {
    const wait = Math.max(
      this.limiter.wait(`client\n${clientId}`, this.rate) ?? 0,
      this.limiter.wait(`address\n${address}`, this.rate) ?? 0,
    );
    if (wait > 0) throw clientAuthenticationThrottled(wait);
  }

  failed(clientId: string, address: string): void {
    this.limiter.take(`client\n${clientId}`, this.rate);
    this.limiter.take(`address\n${address}`, this.rate);
  }
}
