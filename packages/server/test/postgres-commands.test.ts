import { Pool } from 'pg';
import { migratePostgres, postgresSchemaVersion } from '../src/storage/postgres/postgres-migrations';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { finished, newTrigger } from './support/conformance/storage-fixtures';
import { usePostgresCluster } from './support/postgres-cluster';
import { processServers } from './support/process-servers';
import { startProcess } from './support/server-process';
import { sqliteOnly } from './support/test-storage';

// Our own tables' migrations, in one process and in several at once, and the commands on PostgreSQL.

const cluster = usePostgresCluster();
const { configFile, track } = processServers();

async function versions(url: string): Promise<number[]> {
  const pool = new Pool({ connectionString: url });
  try {
    const { rows } = await pool.query<{ version: number }>(
      'SELECT version FROM autofacilitate_migrations ORDER BY version',
    );
    return rows.map((row) => row.version);
  } finally {
    await pool.end();
  }
}

const allVersions = Array.from({ length: postgresSchemaVersion }, (_, index) => index + 1);

test('several connections migrating an empty database at once apply each step once', async () => {
  const url = await cluster.createDatabase();
  const pools = Array.from({ length: 6 }, () => createPostgresPool({ url, poolSize: 1 }));
  try {
    const results = await Promise.all(pools.map((pool) => migratePostgres(pool)));
    // One of them migrated; the others waited for its lock and found the schema up to date.
    expect(results.filter(({ from }) => from === 0)).toHaveLength(1);
    expect(results.every(({ to }) => to === postgresSchemaVersion)).toBe(true);
    expect(await versions(url)).toEqual(allVersions);
    expect(await migratePostgres(pools[0]!)).toEqual({ from: postgresSchemaVersion, to: postgresSchemaVersion });
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
});

test('a database migrated by a newer server is refused, not changed', async () => {
  const url = await cluster.createDatabase();
  const pool = createPostgresPool({ url, poolSize: 1 });
  try {
    await migratePostgres(pool);
    await pool.query('INSERT INTO autofacilitate_migrations (version) VALUES (99)');
    await expect(migratePostgres(pool)).rejects.toThrow(
      `The database schema (version 99) is newer than this server knows (${postgresSchemaVersion}); upgrade the server.`,
    );
    expect(await versions(url)).toEqual([...allVersions, 99]);
  } finally {
    await pool.end();
  }
});

describe('autofacilitate-server migrate', () => {
  test('processes started at once on an empty database all succeed; one of them migrates', async () => {
    const url = await cluster.createDatabase();
    const file = await configFile('migrate', (raw) => {
      raw.storage = { postgres: { url } };
    });
    const children = await Promise.all(
      Array.from({ length: 4 }, () => startProcess('main.js', ['migrate', '--config', file], {})),
    );
    children.forEach(track);
    const exits = await Promise.all(children.map((child) => child.exited));
    expect(exits.map(({ code }) => code)).toEqual([0, 0, 0, 0]);
    const where = `PostgreSQL at 127.0.0.1:${new URL(url).port}${new URL(url).pathname}`;
    const outputs = children.map((child) => child.output()).sort();
    expect(outputs).toEqual([
      `${where}: migrated the schema from version 0 to ${postgresSchemaVersion}\n`,
      ...Array.from({ length: 3 }, () => `${where}: the schema is up to date (version ${postgresSchemaVersion})\n`),
    ]);
    expect(await versions(url)).toEqual(allVersions);
    // pg-boss's schema too, with the server's queues.
    const pool = new Pool({ connectionString: url });
    try {
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM pgboss.queue ORDER BY name');
      expect(rows.map((row) => row.name)).toEqual(['delivery', 'delivery-dead', 'trigger']);
    } finally {
      await pool.end();
    }
  });

  test('the URL may come from the environment; a database it cannot reach is named, the password not', async () => {
    const file = await configFile('unreachable');
    const child = await startProcess('main.js', ['migrate', '--config', file], {
      AUTOFACILITATE_POSTGRES_URL: 'postgres://app:s3cret@127.0.0.1:1/autofacilitate',
    });
    track(child);
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toMatch(/^PostgreSQL at 127\.0\.0\.1:1\/autofacilitate: .*ECONNREFUSED/);
    expect(child.output()).not.toContain('s3cret');
  });

  test('without a PostgreSQL URL, migrates the SQLite file', async () => {
    const file = await configFile('sqlite', (raw) => sqliteOnly(raw, 'its subject is the configuration without a URL'));
    const child = await startProcess('main.js', ['migrate', '--config', file], {});
    track(child);
    expect((await child.exited).code).toBe(0);
    expect(child.output()).toMatch(/^SQLite .*autofacilitate\.sqlite: the schema is up to date\n$/);
  });
});

describe('the commands that read the store', () => {
  test('usage reads the counters from PostgreSQL', async () => {
    const url = await cluster.createDatabase();
    const storage = await PostgresStorage.open({ url, poolSize: 1 });
    const count = { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 3, lastUsedAt: 1764400000000 };
    await storage.usage.addUsage([count]);
    await storage.close();
    const file = await configFile('usage', (raw) => {
      raw.storage = { postgres: { url } };
    });
    const child = await startProcess('main.js', ['usage', '--config', file], {});
    track(child);
    expect((await child.exited).code).toBe(0);
    expect(JSON.parse(child.output())).toEqual([count]);
  });

  test('deliveries reads them from PostgreSQL', async () => {
    const url = await cluster.createDatabase();
    const storage = await PostgresStorage.open({ url, poolSize: 1 });
    const trigger = newTrigger({ callbackUrls: ['https://a.example/cb'] });
    await finished(storage, trigger, Date.parse('2026-11-29T12:00:00.000Z'), 'msg_pg');
    await storage.close();
    const file = await configFile('deliveries', (raw) => {
      raw.storage = { postgres: { url } };
    });
    const child = await startProcess('main.js', ['deliveries', trigger.triggerUUID, '--config', file], {});
    track(child);
    expect((await child.exited).code).toBe(0);
    expect(JSON.parse(child.output())).toEqual([
      expect.objectContaining({
        triggerUUID: trigger.triggerUUID,
        webhookId: 'msg_pg',
        url: 'https://a.example/cb',
        status: 'pending',
        attempts: 0,
        createdAt: '2026-11-29T12:00:00.000Z',
        history: [],
      }),
    ]);
  });
});
