import type Database from 'better-sqlite3';
import type { TokenStore } from '../token-store';
import type { TokenRecord } from '../token-types';
import { deleteInBatches } from './delete-in-batches';

interface TokenRow {
  token_hash: string;
  client_id: string;
  org_id: string;
  scope: string;
  issued_at: number;
  expires_at: number;
}

function toToken(row: TokenRow): TokenRecord {
  return {
    tokenHash: row.token_hash,
    clientId: row.client_id,
    orgId: row.org_id,
    scope: row.scope,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}

function prepare(db: Database.Database) {
  return {
    save: db.prepare<[TokenRecord]>(
      `INSERT INTO tokens (token_hash, client_id, org_id, scope, issued_at, expires_at)
       VALUES (@tokenHash, @clientId, @orgId, @scope, @issuedAt, @expiresAt)`,
    ),
    find: db.prepare<[string, number], TokenRow>('SELECT * FROM tokens WHERE token_hash = ? AND expires_at > ?'),
    purgeExpired: db.prepare<[number, number]>(
      'DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tokens WHERE expires_at <= ? LIMIT ?)',
    ),
  };
}

/** The access tokens of the SQLite storage. */
export class SqliteTokenStore implements TokenStore {
  readonly #statements: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.#statements = prepare(db);
  }

  async saveToken(token: TokenRecord): Promise<void> {
    this.#statements.save.run(token);
  }

  async findToken(tokenHash: string, now: number): Promise<TokenRecord | undefined> {
    const row = this.#statements.find.get(tokenHash, now);
    return row && toToken(row);
  }

  async purgeExpired(now: number): Promise<number> {
    return deleteInBatches(this.#statements.purgeExpired, now);
  }
}
