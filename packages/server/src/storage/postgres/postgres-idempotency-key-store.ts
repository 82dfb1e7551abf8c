import type { Pool, PoolClient } from 'pg';
import type { IdempotencyKeyStore } from '../idempotency-key-store';
import type { IdempotencyReservation, IdempotencyState } from '../idempotency-types';
import { deleteExpired } from './delete-expired';
import { inTransaction } from './postgres-transaction';

interface IdempotencyRow {
  request_hash: string;
  answered: boolean;
  response: unknown;
}

/**
 * The `Idempotency-Key`s of the PostgreSQL storage; `complete` is for the transaction that writes
 * the key's trigger.
 */
export class PostgresIdempotencyKeyStore implements IdempotencyKeyStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  reserveIdempotencyKey(reservation: IdempotencyReservation): Promise<IdempotencyState> {
    const { orgId, key, requestHash, owner, now, leaseMs, retentionMs } = reservation;
    return inTransaction(this.#pool, async (client) => {
      // Takes a new key, an expired one, or one whose request died before writing anything. A key
      // it may not take stays locked by the upsert until the end of the transaction, so that the
      // row read next is the one that refused it.
      const taken = await client.query(
        `INSERT INTO idempotency_keys (org_id, idempotency_key, request_hash, owner, lease_expires_at, response, expires_at)
         VALUES ($1, $2, $3, $4, $5, NULL, $6)
         ON CONFLICT (org_id, idempotency_key) DO UPDATE SET
           request_hash = excluded.request_hash, owner = excluded.owner,
           lease_expires_at = excluded.lease_expires_at, response = NULL, expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= $7
            OR (idempotency_keys.response IS NULL AND idempotency_keys.lease_expires_at <= $7)`,
        [orgId, key, requestHash, owner, now + leaseMs, now + retentionMs, now],
      );
      if (taken.rowCount === 1) return { state: 'reserved' };
      const { rows } = await client.query<IdempotencyRow>(
        'SELECT request_hash, response IS NOT NULL AS answered, response FROM idempotency_keys WHERE org_id = $1 AND idempotency_key = $2',
        [orgId, key],
      );
      const row = rows[0]!;
      return row.answered
        ? { state: 'completed', requestHash: row.request_hash, response: row.response }
        : { state: 'in_flight', requestHash: row.request_hash };
    });
  }

  /** Stores the answer of a reservation its owner still holds, in `client`'s transaction; false when it no longer does. */
  async complete(client: PoolClient, orgId: string, key: string, owner: string, response: unknown): Promise<boolean> {
    const { rowCount } = await client.query(
      `UPDATE idempotency_keys SET owner = NULL, lease_expires_at = 0, response = $1::json
       WHERE org_id = $2 AND idempotency_key = $3 AND owner = $4 AND response IS NULL`,
      [JSON.stringify(response), orgId, key, owner],
    );
    return rowCount === 1;
  }

  async releaseIdempotencyKey(orgId: string, key: string, owner: string): Promise<void> {
    await this.#pool.query(
      'DELETE FROM idempotency_keys WHERE org_id = $1 AND idempotency_key = $2 AND owner = $3 AND response IS NULL',
      [orgId, key, owner],
    );
  }

  purgeExpired(now: number): Promise<number> {
    return deleteExpired(
      this.#pool,
      `DELETE FROM idempotency_keys WHERE (org_id, idempotency_key) IN
         (SELECT org_id, idempotency_key FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)`,
      now,
    );
  }
}
