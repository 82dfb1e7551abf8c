import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findPostgresBin, startPostgresCluster } from './support/postgres-cluster';

describe('the throwaway PostgreSQL cluster of the tests', () => {
  test('listens on 127.0.0.1 alone, gives each suite its database, and leaves nothing behind', async () => {
    const cluster = await startPostgresCluster();
    const urls = [await cluster.createDatabase(), await cluster.createDatabase()];
    expect(new Set(urls).size).toBe(2);
    const client = new Client({ connectionString: urls[0] });
    await client.connect();
    const { rows } = await client.query<{ listen_addresses: string }>('SHOW listen_addresses');
    expect(rows).toEqual([{ listen_addresses: '127.0.0.1' }]);
    await client.end();
    await cluster.stop();
    expect(existsSync(cluster.folder)).toBe(false);
    const late = new Client({ connectionString: urls[1] });
    await expect(late.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('says how to install PostgreSQL when it is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'autofacilitate-no-pg-'));
    try {
      expect(() => findPostgresBin(join(empty, 'lib'), empty)).toThrow(
        /PostgreSQL is not installed.*apt-get install postgresql/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
