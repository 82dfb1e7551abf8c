import { hash, randomBytes } from 'node:crypto';

/** A caller whose credentials passed every check but the path's organisation. */
export interface KnownCaller {
  orgId: string;
  clientId: string;
  /** The API key's name. */
  apiKey: string;
  /** Until when this may be believed without checking again: never past the token's expiry. */
  until: number;
}

// Enough for every client of a busy server to stay known; beyond it the oldest are forgotten.
const keptAtMost = 10_000;

/**
 * The callers recently let in, by a digest of the `x-api-key` and `Authorization` they presented,
 * so that a caller presenting the same pair again is known without hashing each secret for the
 * configuration and the store. The digest is SHA-256 keyed with a random value of this process:
 * one pass over both headers, which no one outside can compute or predict, and the secrets
 * themselves are never kept. An entry ends with its token or after the issuer's own caching of
 * tokens; a key or client taken out of the configuration is gone with the process that knew it.
 */
export class CallerCache {
  readonly #key = randomBytes(32).toString('base64');
  readonly #callers = new Map<string, KnownCaller>();

  /** The digest a pair of presented credentials is kept under. */
  digest(apiKey: string, authorization: string): string {
    return hash('sha256', `${this.#key}\n${apiKey}\n${authorization}`, 'base64');
  }

  /** The caller kept under `digest`, while it may still be believed at `now`. */
  get(digest: string, now: number): KnownCaller | undefined {
    const caller = this.#callers.get(digest);
    if (caller === undefined || now < caller.until) return caller;
    this.#callers.delete(digest);
    return undefined;
  }

  set(digest: string, caller: KnownCaller): void {
    if (this.#callers.size >= keptAtMost) this.#callers.delete(this.#callers.keys().next().value!);
    this.#callers.set(digest, caller);
  }
}
