import type Database from 'better-sqlite3';

/**
 * Runs a transaction without waiting for the disk: writes of leases alone (claims and renewals),
 * so that a claim costs no fsync (a lease lost to a power cut gives its triggers back to the
 * queue, as a worker that died would; the next durable commit syncs it anyway), and group commits,
 * whose fsync then runs off the event loop (wal-sync.ts). The level changes only between
 * transactions, as SQLite requires.
 */
export function leaseWrites(db: Database.Database): <T>(write: () => T) => T {
  const level = db.pragma('synchronous', { simple: true }) as number;
  const relax = db.prepare('PRAGMA synchronous = NORMAL');
  const restore = db.prepare(`PRAGMA synchronous = ${level}`);
  return (write) => {
    relax.run();
    try {
      return write();
    } finally {
      restore.run();
    }
  };
}
