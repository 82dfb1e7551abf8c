import type { Pool } from 'pg';
import type { UsageStore } from '../usage-store';
import type { UsageCount } from '../usage-types';

interface UsageRow {
  org_id: string;
  api_key: string;
  operation_id: string;
  count: number;
  last_used_at: number;
}

// One row per counter, in one order for every process, so that two flushes never deadlock.
function merged(counts: UsageCount[]): UsageCount[] {
  const byKey = new Map<string, UsageCount>();
  for (const count of counts) {
    const key = JSON.stringify([count.orgId, count.apiKey, count.operationId]);
    const seen = byKey.get(key);
    byKey.set(
      key,
      seen
        ? { ...seen, count: seen.count + count.count, lastUsedAt: Math.max(seen.lastUsedAt, count.lastUsedAt) }
        : { ...count },
    );
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, count]) => count);
}

/** The usage counters of the PostgreSQL storage. */
export class PostgresUsageStore implements UsageStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async addUsage(counts: UsageCount[]): Promise<void> {
    const rows = merged(counts);
    if (rows.length === 0) return;
    // One statement: all or none.
    await this.#pool.query(
      `INSERT INTO usage (org_id, api_key, operation_id, count, last_used_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
       ON CONFLICT (org_id, api_key, operation_id) DO UPDATE SET
         count = usage.count + excluded.count,
         last_used_at = greatest(usage.last_used_at, excluded.last_used_at)`,
      [
        rows.map((row) => row.orgId),
        rows.map((row) => row.apiKey),
        rows.map((row) => row.operationId),
        rows.map((row) => row.count),
        rows.map((row) => row.lastUsedAt),
      ],
    );
  }

  async listUsage(): Promise<UsageCount[]> {
    // Byte order, as SQLite sorts, whatever the database's collation.
    const { rows } = await this.#pool.query<UsageRow>(
      'SELECT * FROM usage ORDER BY org_id COLLATE "C", api_key COLLATE "C", operation_id COLLATE "C"',
    );
    return rows.map((row) => ({
      orgId: row.org_id,
      apiKey: row.api_key,
      operationId: row.operation_id,
      count: row.count,
      lastUsedAt: row.last_used_at,
    }));
  }
}
