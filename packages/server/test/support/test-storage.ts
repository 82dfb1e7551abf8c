import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import type { RawConfig } from './test-config';

/**
 * Which store the tests' servers run on: the embedded SQLite file, or PostgreSQL when
 * `AUTOFACILITATE_TEST_STORAGE=postgres` (the second pass of `npm test`). On PostgreSQL each
 * server gets a database of its own on the cluster of the run (see postgres-setup.ts).
 */
export const testStorageVariable = 'AUTOFACILITATE_TEST_STORAGE';
/** The cluster of the run (`postgres://user@host:port`, no database): jest's set-up starts one, or a developer names theirs. */
export const testClusterVariable = 'AUTOFACILITATE_TEST_POSTGRES';

export const testsOnPostgres = (): boolean => process.env[testStorageVariable] === 'postgres';

// Why this test file's servers stay on SQLite whatever the switch says, if they do.
let sqliteReason: string | undefined;

/**
 * Keeps this test file's servers on SQLite whatever the switch says, because `reason` (what the
 * file tests holds only there).
 */
export function keepSqlite(reason: string): void {
  if (reason.trim() === '') throw new Error('keepSqlite needs the reason the tests hold only on SQLite');
  sqliteReason = reason;
}

/**
 * The reason of tests that move virtual time to a lease's end or a retry's due time: on PostgreSQL
 * those are pg-boss's, on the database's own time, which a virtual clock does not move.
 */
export const onTheLeaseClock =
  "it moves virtual time to a lease's end or a retry's due time, which are the injected clock's on SQLite only; " +
  "on PostgreSQL they are pg-boss's, on the database's time (postgres-recovery.test.ts tests them there)";

// The configurations kept on SQLite one by one, with the reason.
const sqliteConfigs = new WeakMap<RawConfig, string>();

/**
 * Keeps the server of this one raw configuration on SQLite whatever the switch says, because
 * `reason`; for an `adjust` of a test whose subject holds only there.
 */
export function sqliteOnly(raw: RawConfig, reason: string): void {
  if (reason.trim() === '') throw new Error('sqliteOnly needs the reason the test holds only on SQLite');
  sqliteConfigs.set(raw, reason);
}

/** True when this test file's servers run on PostgreSQL. */
export const onPostgres = (): boolean => testsOnPostgres() && sqliteReason === undefined;

function clusterUrl(): string {
  const url = process.env[testClusterVariable];
  if (!url) throw new Error(`${testStorageVariable}=postgres, but no cluster: ${testClusterVariable} is not set`);
  return url.replace(/\/+$/, '');
}

async function onCluster<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${clusterUrl()}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * `url` with every session opted in to pg-boss's test clock: a server on a virtual clock attaches
 * it, and then the database's time for pg-boss is the clock's in our transactions as in pg-boss's
 * own (without one attached the setting changes nothing).
 */
const withTestClock = (url: string): string =>
  `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c pgboss.test_clock=on')}`;

// A database with our schema and pg-boss's, made once per cluster: a server's fresh database is a
// copy of it, which starts in a fraction of the time migrating an empty one takes. (Migrating an
// empty database is tested on its own: postgres-commands.test.ts, postgres-jobs.test.ts.)
const template = 'autofacilitate_template';
const templateLock = 7_402_113;

async function ensureTemplate(client: Client): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [templateLock]);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount !== 0) return;
    // Made under another name and renamed once migrated, so a failed attempt leaves no template behind.
    const building = `${template}_${randomUUID().replaceAll('-', '')}`;
    await client.query(`CREATE DATABASE ${building}`);
    const { PostgresStorage } = await import('../../src/storage/postgres/postgres-storage');
    const storage = await PostgresStorage.open({ url: `${clusterUrl()}/${building}`, poolSize: 1 });
    await storage.close();
    await client.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [templateLock]);
  }
}

/** Creates a database with the server's schema on the run's cluster (removed with it); resolves to its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await onCluster(async (client) => {
    await ensureTemplate(client);
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  });
  return withTestClock(`${clusterUrl()}/${name}`);
}

// The database standing for each SQLite file of this test file's configurations.
const databases = new Map<string, Promise<string>>();

/**
 * Points a raw configuration at PostgreSQL when this file's servers run there and the
 * configuration names no database of its own: at the database that stands for its SQLite file
 * (resolved from `baseDir`), fresh the first time, so servers that would share the file share it.
 */
export async function useTestStorage(raw: RawConfig, baseDir = ''): Promise<void> {
  if (!onPostgres() || sqliteConfigs.has(raw) || raw.storage?.postgres?.url) return;
  const file = resolve(baseDir, raw.storage?.sqlite?.file ?? 'data/autofacilitate.sqlite');
  if (!databases.has(file)) databases.set(file, freshDatabase());
  raw.storage = { ...raw.storage, postgres: { ...raw.storage?.postgres, url: await databases.get(file)! } };
}
