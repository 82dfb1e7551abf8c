import type { TokenStore } from '../storage/token-store';
import type { TokenRecord } from '../storage/token-types';
import type { Clock } from '../time/clock';
import type { Ids } from '../random/ids';
import type { Client } from './credentials';
import { sha256 } from './secret-hash';

/** The one scope of the API. */
export const apiScope = 'autofacilitateapi';

/** An access token as the token endpoint hands it out. */
export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

// Tokens found recently are kept in memory, so that most calls skip the store. A token never
// changes once issued, so a kept one is as good as the store's until it expires; the bound on
// age keeps the door open for revocation, the bound on count keeps memory flat.
const keptForMs = 60_000;
const keptAtMost = 10_000;

/**
 * Access tokens are opaque random values; the store keeps only their hash, with the client, the
 * organisation and the scope they were issued for. Any process sharing the store can check them.
 */
export class TokenIssuer {
  readonly #kept = new Map<string, { token: TokenRecord; until: number }>();

  constructor(
    private readonly store: TokenStore,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly ttlSeconds: number,
  ) {}

  /** Issues a token to a client, bound to the client's organisation. */
  async issue(client: Client, scope: string): Promise<IssuedToken> {
    const accessToken = this.ids.accessToken();
    const issuedAt = this.clock.now();
    await this.store.saveToken({
      tokenHash: sha256(accessToken),
      clientId: client.clientId,
      orgId: client.orgId,
      scope,
      issuedAt,
      expiresAt: issuedAt + this.ttlSeconds * 1000,
    });
    return { accessToken, expiresIn: this.ttlSeconds, scope };
  }

  /** Until when a token found now may be believed without asking again: as long as it would be kept here. */
  trustedUntil(token: TokenRecord): number {
    return Math.min(token.expiresAt, this.clock.now() + keptForMs);
  }

  /** The live token with this value, or undefined when it is unknown or has expired. */
  async find(accessToken: string): Promise<TokenRecord | undefined> {
    const tokenHash = sha256(accessToken);
    const now = this.clock.now();
    const kept = this.#kept.get(tokenHash);
    if (kept && now < kept.until) return kept.token;
    if (kept) this.#kept.delete(tokenHash);
    const token = await this.store.findToken(tokenHash, now);
    if (token) {
      if (this.#kept.size >= keptAtMost) this.#kept.delete(this.#kept.keys().next().value!);
      this.#kept.set(tokenHash, { token, until: Math.min(token.expiresAt, now + keptForMs) });
    }
    return token;
  }
}
