// A backlog of queued echo triggers, written straight into a server's database through the
// server's own storage (`SqliteStorage` of `dist`), far faster than through execute; and the same
// storage opened beside a running server to watch the queue without costing the server any CPU.
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

/** The storage of `file`, opened beside the server that runs on it. */
export function watchStorage(file) {
  const storage = new SqliteStorage({ file });
  return {
    /** Unfinished triggers of the bench's organisation: queued and running. */
    unfinished: () => storage.triggers.countUnfinishedTriggers(orgId),
    /** The trigger's status. */
    status: async (triggerUUID) => (await storage.triggers.findTrigger(orgId, triggerUUID))?.status,
    close: () => storage.close(),
  };
}
