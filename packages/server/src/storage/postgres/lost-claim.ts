import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './postgres-transaction';

/** Thrown inside a transaction when the claim it settles is no longer held: it rolls back. */
export class LostClaim extends Error {
  constructor() {
    super('the claim was lost');
  }
}

/**
 * Runs `work` in a transaction and answers true once committed, or false, with nothing written,
 * when it threw {@link LostClaim} (the lease or the job's attempt was no longer ours).
 */
export async function inTransactionUnlessLost(
  pool: Pool,
  work: (client: PoolClient) => Promise<void>,
): Promise<boolean> {
  try {
    await inTransaction(pool, work);
    return true;
  } catch (error) {
    if (error instanceof LostClaim) return false;
    throw error;
  }
}
