// The bench's PostgreSQL: a throwaway cluster of its own, started by the tests' starter with each
// commit synced to the disk, as in production; and its tables read from beside the servers.
import pg from 'pg';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgres-cluster.ts';

export { findPostgresBin };

/** A durable cluster on 127.0.0.1; `createDatabase()` answers the URL of a fresh database. */
export function startCluster() {
  return startPostgresCluster({ durable: true });
}

/** A connection to the database `url` of running servers, to watch their triggers and callbacks. */
export async function watchPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const count = async (sql) => Number((await client.query(sql)).rows[0].count);
  return {
    /** Unfinished triggers: queued and running. */
    unfinished: () => count('SELECT count(*) FROM triggers WHERE finished_at IS NULL'),
    /** Callback deliveries still to make. */
    pendingCallbacks: () => count("SELECT count(*) FROM deliveries WHERE status = 'pending'"),
    /** Finished triggers, and the seconds from the first start to the last finish among them. */
    async finishedSpan() {
      const { rows } = await client.query(
        'SELECT count(*), min(started_at) AS first, max(finished_at) AS last FROM triggers WHERE finished_at IS NOT NULL',
      );
      return { count: Number(rows[0].count), seconds: (Number(rows[0].last) - Number(rows[0].first)) / 1000 };
    },
    close: () => client.end(),
  };
}
