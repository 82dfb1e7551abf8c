import type { Pool } from 'pg';

// Small batches, as in the SQLite store, so that a large purge never holds its locks for long.
const purgeBatch = 500;

/**
 * Runs `DELETE … WHERE key IN (SELECT key … WHERE expires_at <= $1 LIMIT $2)` until it removes
 * fewer than a batch; resolves to how many rows went.
 */
export async function deleteExpired(pool: Pool, statement: string, now: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const { rowCount } = await pool.query(statement, [now, purgeBatch]);
    removed += rowCount ?? 0;
    if ((rowCount ?? 0) < purgeBatch) return removed;
  }
}
