import type { Pool } from 'pg';
import type { TokenStore } from '../token-store';
import type { TokenRecord } from '../token-types';
import { deleteExpired } from './delete-expired';

interface TokenRow {
  token_hash: string;
  client_id: string;
  org_id: string;
  scope: string;
  issued_at: number;
  expires_at: number;
}

/** The access tokens of the PostgreSQL storage. */
export class PostgresTokenStore implements TokenStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async saveToken(token: TokenRecord): Promise<void> {
    await this.#pool.query(
      `INSERT INTO tokens (token_hash, client_id, org_id, scope, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [token.tokenHash, token.clientId, token.orgId, token.scope, token.issuedAt, token.expiresAt],
    );
  }

  async findToken(tokenHash: string, now: number): Promise<TokenRecord | undefined> {
    const { rows } = await this.#pool.query<TokenRow>(
      'SELECT * FROM tokens WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, now],
    );
    const row = rows[0];
    return (
      row && {
        tokenHash: row.token_hash,
        clientId: row.client_id,
        orgId: row.org_id,
        scope: row.scope,
        issuedAt: row.issued_at,
        expiresAt: row.expires_at,
      }
    );
  }

  purgeExpired(now: number): Promise<number> {
    return deleteExpired(
      this.#pool,
      'DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tokens WHERE expires_at <= $1 LIMIT $2)',
      now,
    );
  }
}
