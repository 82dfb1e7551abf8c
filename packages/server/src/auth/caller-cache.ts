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

/** The credentials a connection presented last, as it presented them, and who they proved. */
interface LastPresented {
  apiKey: string;
  authorization: string;
  caller: KnownCaller;
}

// Enough for every client of a busy server to stay known; beyond it the oldest are forgotten.
const keptAtMost = 10_000;

/**
 * The callers recently let in, by a digest of the `x-api-key` and `Authorization` they presented,
 * so that a caller presenting the same pair again is known without hashing each secret for the
 * configuration and the store. The digest is SHA-256 keyed with a random value of this process:
 * one pass over both headers, which no one outside can compute or predict, and the secrets
 * themselves are not kept. An entry ends with its token or after the issuer's own caching of
 * tokens; a key or client taken out of the configuration is gone with the process that knew it.
 *
 * A keep-alive connection sends the same pair on every request, so each connection's last pair is
 * also kept beside it, for as long as the connection lives, and compared as it comes: cheaper than
 * the digest. Only requests on that connection meet it, and only the very same pair passes; behind
 * a proxy that shares its connections among clients, another client's pair may be compared with
 * it, and the comparison's time (it stops at the first character that differs) is nanoseconds, far
 * below what a network lets anyone measure.
 */
export class CallerCache {
  readonly #key = randomBytes(32).toString('base64');
  readonly #callers = new Map<string, KnownCaller>();
  readonly #lastOn = new WeakMap<object, LastPresented>();

  /** The caller these credentials proved lately, while it may still be believed at `now`. */
  known(connection: object, apiKey: string, authorization: string, now: number): KnownCaller | undefined {
    const last = this.#lastOn.get(connection);
    if (last !== undefined && last.apiKey === apiKey && last.authorization === authorization) {
      if (now < last.caller.until) return last.caller;
      this.#lastOn.delete(connection);
    }
    const digest = this.#digest(apiKey, authorization);
    const caller = this.#callers.get(digest);
    if (caller === undefined) return undefined;
    if (now >= caller.until) {
      this.#callers.delete(digest);
      return undefined;
    }
    this.#lastOn.set(connection, { apiKey, authorization, caller });
    return caller;
  }

  /** Keeps the caller that `connection` proved with these credentials. */
  remember(connection: object, apiKey: string, authorization: string, caller: KnownCaller): void {
    if (this.#callers.size >= keptAtMost) this.#callers.delete(this.#callers.keys().next().value!);
    this.#callers.set(this.#digest(apiKey, authorization), caller);
    this.#lastOn.set(connection, { apiKey, authorization, caller });
  }

  #digest(apiKey: string, authorization: string): string {
    return hash('sha256', `${this.#key}\n${apiKey}\n${authorization}`, 'base64');
  }
}
