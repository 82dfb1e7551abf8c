import { IdempotencyKeyLost } from '../src';
import { postgresSchemaVersion } from '../src/storage/postgres/postgres-migrations';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { echo, finished, lease, newTrigger, reservation, t0, urls } from './support/conformance/storage-fixtures';
import { usePostgresCluster } from './support/postgres-cluster';

// What pg-boss carries for the PostgreSQL storage: a trigger's job written in the trigger's
// transaction, a finish and its delivery jobs in one, a service's concurrency across processes
// (two pg-boss instances on one database), and processes starting at once on an empty database.

const cluster = usePostgresCluster();

let opened: PostgresStorage[] = [];

async function open(url: string): Promise<PostgresStorage> {
  const storage = await PostgresStorage.open({ url, poolSize: 4 });
  opened.push(storage);
  return storage;
}

async function openPair(): Promise<[PostgresStorage, PostgresStorage]> {
  const url = await cluster.createDatabase();
  return [await open(url), await open(url)];
}

afterEach(async () => {
  for (const storage of opened) await storage.close();
  opened = [];
});

test("a trigger's job is sent in the trigger's transaction: both are written, or neither", async () => {
  const [store, peer] = await openPair();
  const written = newTrigger();
  await store.createTrigger(written);
  const [job] = await store.boss.findJobs('trigger', { id: written.triggerUUID });
  expect(job).toMatchObject({
    id: written.triggerUUID,
    data: { triggerUUID: written.triggerUUID },
    state: 'created',
    groupId: JSON.stringify(['acme', 'echo']),
    groupTier: JSON.stringify(['acme', 'echo']),
  });

  // The Idempotency-Key was taken over: the insert and the job roll back with the refusal.
  await store.idempotencyKeys.reserveIdempotencyKey(reservation());
  await peer.idempotencyKeys.reserveIdempotencyKey(reservation({ owner: 'request-2', now: t0 + lease }));
  const refused = newTrigger();
  await expect(
    store.createTrigger(refused, { key: 'order-7', owner: 'request-1', response: {} }),
  ).rejects.toBeInstanceOf(IdempotencyKeyLost);
  expect(await store.triggers.findTrigger('acme', refused.triggerUUID)).toBeUndefined();
  expect(await store.boss.findJobs('trigger', { id: refused.triggerUUID })).toEqual([]);

  // A trigger whose UUID is taken fails with its job, and the first job is left as it was.
  await expect(store.createTrigger({ ...written, vsn: 'other' })).rejects.toThrow();
  expect(await store.boss.findJobs('trigger')).toHaveLength(1);
});

test("a finish completes the trigger's job and sends one delivery job per callback URL, in one transaction", async () => {
  const [store] = await openPair();
  const trigger = newTrigger({ callbackUrls: urls });
  await finished(store, trigger, t0 + 500);
  const [job] = await store.boss.findJobs('trigger', { id: trigger.triggerUUID });
  expect(job?.state).toBe('completed');
  const deliveries = await store.deliveries.findDeliveries(trigger.triggerUUID);
  const jobs = await store.boss.findJobs<{ deliveryId: number }>('delivery');
  expect(jobs.map((delivery) => delivery.data.deliveryId).sort()).toEqual(
    deliveries.map((delivery) => delivery.deliveryId).sort(),
  );

  // A finish whose job attempt pg-boss has taken back (here: failed by hand) writes nothing at all.
  const lost = newTrigger({ callbackUrls: urls });
  await store.createTrigger(lost);
  const [claimed] = await store.triggers.claimTriggers({ workerId: 'w1', now: t0, leaseMs: lease, services: echo() });
  expect(claimed?.triggerUUID).toBe(lost.triggerUUID);
  await store.boss.fail('trigger', lost.triggerUUID);
  const finish = { triggerUUID: lost.triggerUUID, workerId: 'w1', status: 'succeeded' as const, finishedAt: t0 + 1 };
  expect(await store.finishTrigger({ ...finish, webhookId: 'msg_lost' })).toBe(false);
  expect(await store.triggers.findTrigger('acme', lost.triggerUUID)).toMatchObject({ status: 'running' });
  expect(await store.deliveries.findDeliveries(lost.triggerUUID)).toEqual([]);
  expect(await store.boss.findJobs('delivery')).toHaveLength(urls.length);
});

test("a service's concurrency holds across two pg-boss instances claiming at once", async () => {
  const [store, peer] = await openPair();
  await Promise.all(Array.from({ length: 30 }, () => store.createTrigger(newTrigger())));
  await Promise.all(Array.from({ length: 5 }, () => store.createTrigger(newTrigger({ vsn: 'other' }))));
  const services = [
    { orgId: 'acme', vsn: 'echo', concurrency: 3 },
    { orgId: 'acme', vsn: 'other', concurrency: 2 },
  ];
  // Twenty claims at once, ten through each instance: each fetch sees the others' active jobs.
  const claims = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? store : peer).triggers.claimTriggers({ workerId: `w${i}`, now: t0, leaseMs: lease, services }),
    ),
  );
  const claimed = claims.flat();
  expect(claimed.filter((trigger) => trigger.vsn === 'echo')).toHaveLength(3);
  expect(claimed.filter((trigger) => trigger.vsn === 'other')).toHaveLength(2);
  expect(new Set(claimed.map((trigger) => trigger.triggerUUID)).size).toBe(5);
  expect((await store.boss.findJobs('trigger')).filter((job) => job.state === 'active')).toHaveLength(5);
});

test("several processes starting at once on an empty database migrate ours and pg-boss's schemas safely", async () => {
  const url = await cluster.createDatabase();
  const storages = await Promise.all(Array.from({ length: 4 }, () => open(url)));
  const pool = createPostgresPool({ url, poolSize: 1 });
  try {
    const ours = await pool.query<{ version: number }>(
      'SELECT version FROM autofacilitate_migrations ORDER BY version',
    );
    expect(ours.rows.map((row) => row.version)).toEqual(
      Array.from({ length: postgresSchemaVersion }, (_, index) => index + 1),
    );
    const theirs = await pool.query<{ count: number }>('SELECT count(*) AS count FROM pgboss.version');
    expect(theirs.rows).toEqual([{ count: 1 }]);
  } finally {
    await pool.end();
  }
  const [first] = storages;
  for (const name of ['trigger', 'delivery', 'delivery-dead']) expect(await first!.boss.getQueue(name)).not.toBeNull();
  // Every process works on the shared schema at once.
  await Promise.all(storages.map((storage) => storage.createTrigger(newTrigger())));
  expect(await first!.triggers.countUnfinishedTriggers('acme')).toBe(4);
});
