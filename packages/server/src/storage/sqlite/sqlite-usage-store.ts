import type Database from 'better-sqlite3';
import type { UsageStore } from '../usage-store';
import type { UsageCount } from '../usage-types';

interface UsageRow {
  org_id: string;
  api_key: string;
  operation_id: string;
  count: number;
  last_used_at: number;
}

/** The usage counters of the SQLite storage. */
export class SqliteUsageStore implements UsageStore {
  readonly #list: Database.Statement<[], UsageRow>;
  readonly #add: Database.Transaction<(counts: UsageCount[]) => void>;

  constructor(db: Database.Database) {
    this.#list = db.prepare<[], UsageRow>('SELECT * FROM usage ORDER BY org_id, api_key, operation_id');
    const add = db.prepare<[UsageCount]>(
      `INSERT INTO usage (org_id, api_key, operation_id, count, last_used_at)
       VALUES (@orgId, @apiKey, @operationId, @count, @lastUsedAt)
       ON CONFLICT (org_id, api_key, operation_id) DO UPDATE SET
         count = count + excluded.count,
         last_used_at = max(last_used_at, excluded.last_used_at)`,
    );
    this.#add = db.transaction((counts: UsageCount[]) => {
      for (const count of counts) add.run(count);
    });
  }

  async addUsage(counts: UsageCount[]): Promise<void> {
    this.#add.immediate(counts);
  }

  async listUsage(): Promise<UsageCount[]> {
    return this.#list.all().map((row) => ({
      orgId: row.org_id,
      apiKey: row.api_key,
      operationId: row.operation_id,
      count: row.count,
      lastUsedAt: row.last_used_at,
    }));
  }
}
