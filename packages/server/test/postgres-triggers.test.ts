import type { Pool } from 'pg';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { adminConformance } from './support/conformance/admin-conformance';
import { claimConformance } from './support/conformance/claim-conformance';
import { deliveryConformance } from './support/conformance/delivery-conformance';
import type { OpenStorage } from './support/conformance/storage-fixtures';
import { triggerConformance } from './support/conformance/trigger-conformance';
import { unitOfWorkConformance } from './support/conformance/unit-of-work-conformance';
import { usePostgresCluster } from './support/postgres-cluster';

// The PostgreSQL adapter's triggers, deliveries, unit of work and admin reads, on pg-boss, against the
// conformance suites the SQLite adapter passes: one cluster and one database for the file, two
// handles (two pools, two pg-boss instances, as two processes would have), emptied between tests.

const cluster = usePostgresCluster();

interface Handles {
  first: PostgresStorage;
  second: PostgresStorage;
  pool: Pool;
}

let handles: Promise<Handles> | undefined;

async function openHandles(): Promise<Handles> {
  const url = await cluster.createDatabase();
  return {
    first: await PostgresStorage.open({ url, poolSize: 4 }),
    second: await PostgresStorage.open({ url, poolSize: 4 }),
    pool: createPostgresPool({ url, poolSize: 1 }),
  };
}

const open: OpenStorage<PostgresStorage> = async () => {
  handles ??= openHandles();
  const { first, second, pool } = await handles;
  return {
    first,
    second,
    close: async () => {
      await first.boss.deleteAllJobs();
      await pool.query('TRUNCATE triggers, deliveries, delivery_attempts, tokens, usage, idempotency_keys');
    },
  };
};

afterAll(async () => {
  const opened = await handles;
  if (!opened) return;
  await opened.first.close();
  await opened.second.close();
  await opened.pool.end();
});

triggerConformance('PostgreSQL', open);
claimConformance('PostgreSQL', open);
deliveryConformance('PostgreSQL', open);
unitOfWorkConformance('PostgreSQL', open);
adminConformance('PostgreSQL', open);
