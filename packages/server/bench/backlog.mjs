// A backlog of queued echo triggers, written straight into a server's database through the
// server's own storage (`SqliteStorage` of `dist`), far faster than through execute; and the queue
// of a running server, watched from beside it.
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { SqliteStorage } from '../dist/index.js';
import { orgId, vsn } from './servers.mjs';

// Group commit writes the triggers asked for in one turn in one transaction.
const batch = 5000;

/**
 * Writes `count` queued echo triggers into the database `file` (no server may run on it), each
 * created a millisecond after the one before, and answers their triggerUUIDs in that order: the
 * order claims take them in, oldest first.
 */
export async function seedBacklog(file, count) {
  const storage = new SqliteStorage({ file, synchronous: 'NORMAL' });
  const first = Date.now() - count;
  const triggerUUIDs = [];
  try {
    for (let from = 0; from < count; from += batch) {
      const writes = [];
      for (let index = from; index < Math.min(count, from + batch); index++) {
        const createdAt = first + index;
        const triggerUUID = uuidv7({ msecs: createdAt });
        triggerUUIDs.push(triggerUUID);
        writes.push(
          storage.createTrigger({
            triggerUUID,
            orgId,
            vsn,
            triggerParameters: { key: 'value', customerId: '42' },
            callbackUrls: [],
            requestId: `bench-backlog-${index}`,
            createdAt,
          }),
        );
      }
      await Promise.all(writes);
    }
  } finally {
    await storage.close();
  }
  return triggerUUIDs;
}

/**
 * A read-only connection to the database `file` of a running server, to watch its queue: it costs
 * the server no CPU and, unlike a second storage, never checkpoints the server's writes for it.
 */
export function watchQueue(file) {
  const db = new Database(file, { readonly: true });
  db.pragma('busy_timeout = 5000');
  const unfinished = db.prepare('SELECT count(*) FROM triggers WHERE finished_at IS NULL').pluck();
  const status = db.prepare('SELECT status FROM triggers WHERE trigger_uuid = ?').pluck();
  return {
    /** Unfinished triggers: queued and running. */
    unfinished: () => unfinished.get(),
    /** The trigger's status (`queued`, `running`, `succeeded`…). */
    status: (triggerUUID) => status.get(triggerUUID),
    close: () => db.close(),
  };
}
