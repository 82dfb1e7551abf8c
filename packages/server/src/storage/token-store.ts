import type { TokenRecord } from './token-types';

/** The access tokens issued, by hash, so that any process sharing the storage can check them. */
export interface TokenStore {
  saveToken(token: TokenRecord): Promise<void>;
  /** The token with this hash, if it exists and has not expired at `now`. */
  findToken(tokenHash: string, now: number): Promise<TokenRecord | undefined>;
  /** Removes the tokens expired at `now`; resolves to how many. */
  purgeExpired(now: number): Promise<number>;
}
