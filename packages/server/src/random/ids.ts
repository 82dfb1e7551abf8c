import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
// uuid's v7 rather than `crypto.randomUUIDv7`, which only Node 24 has.
import { v7 as uuidv7 } from 'uuid';

/** Where the server gets fresh identifiers and secrets, so tests can make them predictable. */
export interface Ids {
  /** A fresh triggerUUID: a version 7 UUID, time-ordered, so that new triggers land side by side in the store's indexes. */
  triggerUUID(): string;
  /** A fresh access token: 256 random bits, base64url. */
  accessToken(): string;
  /** A fresh request id, for requests that bring none. */
  requestId(): string;
  /** Names this process's leases among every process sharing the store. */
  workerId(): string;
  /** A fresh `webhook-id` for the callback of a finished trigger. */
  webhookId(): string;
  /** Names the request that holds an `Idempotency-Key` while it is handled. */
  idempotencyOwner(): string;
}

// Drawn in blocks, as Node draws randomUUID's: one call to the random source per 256 webhook-ids,
// where one per finished trigger was a system call each.
const block = Buffer.alloc(4096);
let used = block.length;

function randomBase64url(bytes: number): string {
  if (used + bytes > block.length) {
    randomFillSync(block);
    used = 0;
  }
  return block.toString('base64url', used, (used += bytes));
}

/** Identifiers from the operating system's random source. */
export const randomIds: Ids = {
  triggerUUID: () => uuidv7(),
  accessToken: () => randomBytes(32).toString('base64url'),
  requestId: () => randomUUID(),
  workerId: () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
  webhookId: () => `msg_${randomBase64url(16)}`,
  idempotencyOwner: () => randomUUID(),
};
