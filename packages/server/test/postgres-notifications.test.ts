import { EventEmitter } from 'node:events';
import { IdempotencyKeyLost } from '../src';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { echo, lease, newTrigger, t0 } from './support/conformance/storage-fixtures';
import { usePostgresCluster } from './support/postgres-cluster';
import { when } from './support/when';

// Work one process makes due wakes the workers of another at once: the writing process announces
// a job due at once with NOTIFY after the transaction that wrote it commits, and a storage
// listening hears it.

const cluster = usePostgresCluster();

let opened: PostgresStorage[] = [];

afterEach(async () => {
  for (const storage of opened) await storage.close();
  opened = [];
});

/** What a listening storage heard, in order: `triggers` and `deliveries` wake-ups. */
class Heard extends EventEmitter {
  readonly wakes: string[] = [];
  readonly wake = {
    triggers: () => this.#heard('triggers'),
    deliveries: () => this.#heard('deliveries'),
  };

  #heard(what: string): void {
    this.wakes.push(what);
    this.emit('wake');
  }

  /** Resolves once `count` wake-ups have been heard. */
  reach(count: number): Promise<void> {
    return when(this, 'wake', () => this.wakes.length >= count);
  }
}

async function writerAndListener(): Promise<{ url: string; writer: PostgresStorage; heard: Heard }> {
  const url = await cluster.createDatabase();
  const writer = await PostgresStorage.open({ url, poolSize: 2 });
  const listener = await PostgresStorage.open({ url, poolSize: 2 });
  opened.push(writer, listener);
  const heard = new Heard();
  await listener.listenForWork(heard.wake);
  // Listening wakes both at once: whatever was announced before is found by that claim.
  await heard.reach(2);
  expect(heard.wakes.sort()).toEqual(['deliveries', 'triggers']);
  heard.wakes.length = 0;
  return { url, writer, heard };
}

test('a committed trigger wakes the listening process; one rolled back announces nothing', async () => {
  const { writer, heard } = await writerAndListener();
  // The key is not held: the trigger and its job roll back, and nothing is announced.
  const lost = writer.createTrigger(newTrigger(), { key: 'k', owner: 'nobody', response: {} });
  await expect(lost).rejects.toBeInstanceOf(IdempotencyKeyLost);
  await writer.createTrigger(newTrigger());
  await heard.reach(1);
  // Announcements arrive in commit order: had the rolled-back one been announced, it came first.
  expect(heard.wakes).toEqual(['triggers']);
});

test("a trigger's finish wakes the deliverers, and a trigger given back wakes the workers", async () => {
  const { writer, heard } = await writerAndListener();
  const trigger = newTrigger({ callbackUrls: ['https://a.example/cb'] });
  const held = newTrigger({ callbackUrls: [] });
  await writer.createTrigger(trigger);
  await writer.createTrigger(held);
  await heard.reach(2);
  await writer.triggers.claimTriggers({ workerId: 'w1', now: t0, leaseMs: lease, services: echo() });
  await writer.finishTrigger({
    triggerUUID: trigger.triggerUUID,
    workerId: 'w1',
    status: 'succeeded',
    output: {},
    finishedAt: t0,
    webhookId: 'msg_1',
  });
  await heard.reach(3);
  expect(await writer.triggers.releaseTriggers('w1')).toBe(1);
  await heard.reach(4);
  expect(heard.wakes).toEqual(['triggers', 'triggers', 'deliveries', 'triggers']);
});

test('a listener whose connection is lost listens again, wakes both, and hears what follows', async () => {
  const { url, writer, heard } = await writerAndListener();
  const admin = createPostgresPool({ url, poolSize: 1 });
  try {
    const { rows } = await admin.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND (query LIKE 'LISTEN %' OR query LIKE '%pg_listening_channels%')`,
    );
    expect(rows).toEqual([{ ended: true }]);
  } finally {
    await admin.end();
  }
  // Announcements made while it was down are lost: listening again wakes both.
  await heard.reach(2);
  expect([...heard.wakes].sort()).toEqual(['deliveries', 'triggers']);
  await writer.createTrigger(newTrigger());
  await heard.reach(3);
  expect(heard.wakes[2]).toBe('triggers');
});
