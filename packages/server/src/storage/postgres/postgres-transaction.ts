import type { Pool, PoolClient } from 'pg';

// What each open transaction runs once it has committed.
const afterCommits = new WeakMap<PoolClient, (() => void)[]>();

/** Runs `then` once the transaction open on `client` (one of {@link inTransaction}) commits; never if it rolls back. */
export function afterCommit(client: PoolClient, then: () => void): void {
  const thens = afterCommits.get(client);
  if (thens) thens.push(then);
  else afterCommits.set(client, [then]);
}

/**
 * Runs `work` on one connection between BEGIN and COMMIT, rolling back if it throws. A connection
 * that cannot even roll back is closed rather than given back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    const thens = afterCommits.get(client);
    afterCommits.delete(client);
    thens?.forEach((then) => then());
    return result;
  } catch (error) {
    afterCommits.delete(client);
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
