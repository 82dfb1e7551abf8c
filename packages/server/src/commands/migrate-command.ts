import { loadConfig } from '../config/load-config';
import { migratePostgres } from '../storage/postgres/postgres-migrations';
import { createPostgresPool, postgresError, postgresLocation } from '../storage/postgres/postgres-pool';
import { startQueue } from '../storage/postgres/postgres-queue';
import { queueDefaults } from '../storage/postgres/postgres-storage';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage';

/**
 * `migrate`: brings the store of a configuration to this server's schema (on PostgreSQL, ours and
 * pg-boss's) and exits, for deployments that migrate before they roll out (a server migrates at
 * start too). Needs no secrets.
 */
export async function migrate(configFile: string): Promise<void> {
  const config = await loadConfig(configFile, process.env, { withoutSecrets: true });
  const { url } = config.storage.postgres;
  if (!url) {
    // Opening the file migrates it.
    await new SqliteStorage(config.storage.sqlite).close();
    process.stdout.write(`SQLite ${config.storage.sqlite.file}: the schema is up to date\n`);
    return;
  }
  const pool = createPostgresPool({ url, poolSize: 1 });
  try {
    const { from, to } = await migratePostgres(pool).catch((error: unknown) => {
      throw postgresError(url, error);
    });
    // pg-boss installs or migrates its schema, and our queues, when it starts.
    const boss = await startQueue({ ...queueDefaults, url, poolSize: 1 }).catch((error: unknown) => {
      throw postgresError(url, error);
    });
    await boss.stop({ graceful: false });
    const where = `PostgreSQL at ${postgresLocation(url)}`;
    process.stdout.write(
      from === to
        ? `${where}: the schema is up to date (version ${to})\n`
        : `${where}: migrated the schema from version ${from} to ${to}\n`,
    );
  } finally {
    await pool.end();
  }
}
