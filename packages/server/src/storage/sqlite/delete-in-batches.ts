import type Database from 'better-sqlite3';

// Small batches, so that a large purge never holds the write lock for long.
export const purgeBatch = 500;

/** Runs a `DELETE … LIMIT ?` over rows older than `before` until it removes fewer than a batch. */
export function deleteInBatches(statement: Database.Statement<[number, number]>, before: number): number {
  let removed = 0;
  for (;;) {
    const { changes } = statement.run(before, purgeBatch);
    removed += changes;
    if (changes < purgeBatch) return removed;
  }
}
