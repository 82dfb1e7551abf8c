import type Database from 'better-sqlite3';
import type { IdempotencyKeyStore } from '../idempotency-key-store';
import type { IdempotencyReservation, IdempotencyState } from '../idempotency-types';
import { deleteInBatches } from './delete-in-batches';

interface IdempotencyRow {
  request_hash: string;
  lease_expires_at: number;
  response: string | null;
  expires_at: number;
}

function prepare(db: Database.Database) {
  return {
    find: db.prepare<[string, string], IdempotencyRow>(
      'SELECT request_hash, lease_expires_at, response, expires_at FROM idempotency_keys WHERE org_id = ? AND idempotency_key = ?',
    ),
    hold: db.prepare(
      `INSERT OR REPLACE INTO idempotency_keys (org_id, idempotency_key, request_hash, owner, lease_expires_at, response, expires_at)
       VALUES (@orgId, @key, @requestHash, @owner, @leaseExpiresAt, NULL, @expiresAt)`,
    ),
    complete: db.prepare<[string, string, string, string]>(
      `UPDATE idempotency_keys SET owner = NULL, lease_expires_at = 0, response = ?
       WHERE org_id = ? AND idempotency_key = ? AND owner = ? AND response IS NULL`,
    ),
    release: db.prepare<[string, string, string]>(
      'DELETE FROM idempotency_keys WHERE org_id = ? AND idempotency_key = ? AND owner = ? AND response IS NULL',
    ),
    purgeExpired: db.prepare<[number, number]>(
      `DELETE FROM idempotency_keys WHERE (org_id, idempotency_key) IN
         (SELECT org_id, idempotency_key FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`,
    ),
  };
}

/** The `Idempotency-Key`s of the SQLite storage; `complete` is for the unit of work's transaction. */
export class SqliteIdempotencyKeyStore implements IdempotencyKeyStore {
  readonly #statements: ReturnType<typeof prepare>;
  readonly #reserve: Database.Transaction<(reservation: IdempotencyReservation) => IdempotencyState>;

  constructor(db: Database.Database) {
    const s = prepare(db);
    this.#statements = s;
    this.#reserve = db.transaction((reservation: IdempotencyReservation): IdempotencyState => {
      const { orgId, key, requestHash, owner, now, leaseMs, retentionMs } = reservation;
      const row = s.find.get(orgId, key);
      if (row && row.expires_at > now) {
        if (row.response !== null)
          return { state: 'completed', requestHash: row.request_hash, response: JSON.parse(row.response) };
        if (row.lease_expires_at > now) return { state: 'in_flight', requestHash: row.request_hash };
        // Its request died before writing anything: this one takes the key over.
      }
      s.hold.run({ orgId, key, requestHash, owner, leaseExpiresAt: now + leaseMs, expiresAt: now + retentionMs });
      return { state: 'reserved' };
    });
  }

  /** Stores the answer of a reservation its owner still holds; false when it no longer does. */
  complete(orgId: string, key: string, owner: string, response: unknown): boolean {
    return this.#statements.complete.run(JSON.stringify(response), orgId, key, owner).changes === 1;
  }

  async reserveIdempotencyKey(reservation: IdempotencyReservation): Promise<IdempotencyState> {
    return this.#reserve.immediate(reservation);
  }

  async releaseIdempotencyKey(orgId: string, key: string, owner: string): Promise<void> {
    this.#statements.release.run(orgId, key, owner);
  }

  async purgeExpired(now: number): Promise<number> {
    return deleteInBatches(this.#statements.purgeExpired, now);
  }
}
