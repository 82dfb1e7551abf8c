import type { Pool } from 'pg';
import type { TokenStore, UsageStore } from '../src';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { idempotencyConformance, type IdempotencyUnderTest } from './support/conformance/idempotency-conformance';
import type { OpenRepository } from './support/conformance/repository-fixtures';
import { newTrigger } from './support/conformance/storage-fixtures';
import { tokenConformance } from './support/conformance/token-conformance';
import { usageConformance } from './support/conformance/usage-conformance';
import { usePostgresCluster } from './support/postgres-cluster';

// The PostgreSQL adapter's aggregates against the conformance suites the SQLite adapter passes:
// one cluster for the file, one database per suite, emptied before each test.

const cluster = usePostgresCluster();

/** One process's view of the database: the storage, and a pool of its own to empty it with. */
interface Handle {
  storage: PostgresStorage;
  pool: Pool;
}

async function openHandle(url: string): Promise<Handle> {
  return { storage: await PostgresStorage.open({ url, poolSize: 4 }), pool: createPostgresPool({ url, poolSize: 2 }) };
}

function suite<Repository>(pick: (handle: Handle) => Repository): OpenRepository<Repository> {
  let database: Promise<string> | undefined;
  return async () => {
    database ??= cluster.createDatabase();
    const url = await database;
    // Two handles, as two processes would have.
    const [first, second] = [await openHandle(url), await openHandle(url)];
    await first.pool.query('TRUNCATE tokens, usage, idempotency_keys, triggers');
    await first.storage.boss.deleteAllJobs();
    return {
      first: pick(first),
      second: pick(second),
      close: async () => {
        for (const handle of [first, second]) {
          await handle.storage.close();
          await handle.pool.end();
        }
      },
    };
  };
}

// A whole storage completes an Idempotency-Key by writing the key's trigger, and its job.
const idempotencyOf = ({ storage }: Handle): IdempotencyUnderTest => ({
  keys: storage.idempotencyKeys,
  complete: (orgId, completion) => storage.createTrigger(newTrigger({ orgId }), completion),
});

tokenConformance(
  'PostgreSQL',
  suite<TokenStore>(({ storage }) => storage.tokens),
);
usageConformance(
  'PostgreSQL',
  suite<UsageStore>(({ storage }) => storage.usage),
);
idempotencyConformance('PostgreSQL', suite(idempotencyOf));

describe('PostgreSQL specifics', () => {
  test('answers a ping, and once closed says where it failed without the password', async () => {
    const url = await cluster.createDatabase();
    const storage = await PostgresStorage.open({ url, poolSize: 1 });
    await expect(storage.ping()).resolves.toBeUndefined();
    await storage.close();
    await storage.close();
    await expect(storage.ping()).rejects.toThrow(/^PostgreSQL at 127\.0\.0\.1:\d+\/suite_\d+: /);
  });

  test('a database it cannot reach is named, the password not', async () => {
    const opening = PostgresStorage.open({ url: 'postgres://app:s3cret@127.0.0.1:1/autofacilitate', poolSize: 1 });
    await expect(opening).rejects.toThrow(/^PostgreSQL at 127\.0\.0\.1:1\/autofacilitate: .*ECONNREFUSED/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });
});
