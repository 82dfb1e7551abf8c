import type { Admin } from '../auth/admin-keys';
import { sha256 } from '../auth/secret-hash';
import type { Clock } from '../time/clock';

/** A signed-in console: whom its cookie admits, until when. */
export interface AdminSession {
  admin: Admin;
  expiresAt: number;
}

/** How long a console session lasts, whatever the browser does with its cookie. */
export const sessionMs = 8 * 60 * 60 * 1000;

/**
 * The console's sessions, in this process's memory: a session token is a fresh secret kept only
 * by its SHA-256, so that signing out ends it here, not just in the browser. A restart signs every
 * console out, which costs an operator one sign-in.
 */
export class AdminSessions {
  readonly #sessions = new Map<string, AdminSession>();

  constructor(
    private readonly clock: Clock,
    private readonly newToken: () => string,
  ) {}

  /** Opens a session for `admin`; returns its token, for the cookie. */
  open(admin: Admin): { token: string; session: AdminSession } {
    this.#forgetExpired();
    const token = this.newToken();
    const session = { admin, expiresAt: this.clock.now() + sessionMs };
    this.#sessions.set(sha256(token), session);
    return { token, session };
  }

  /** The live session of a token, if any. */
  find(token: string): AdminSession | undefined {
    const key = sha256(token);
    const session = this.#sessions.get(key);
    if (session && session.expiresAt <= this.clock.now()) {
      this.#sessions.delete(key);
      return undefined;
    }
    return session;
  }

  /** Ends a token's session. */
  close(token: string): void {
    this.#sessions.delete(sha256(token));
  }

  #forgetExpired(): void {
    const now = this.clock.now();
    for (const [key, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(key);
  }
}
