import { TestClock } from 'pg-boss';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { echo, finished, lease, newTrigger, urls } from './support/conformance/storage-fixtures';
import { usePostgresCluster } from './support/postgres-cluster';

// On PostgreSQL a lease is a pg-boss job's heartbeat and a delivery is due when its job is: both on
// the database's time. pg-boss's TestClock moves that time (its job_now() reads a table while the
// session has pgboss.test_clock on), so these run on virtual time, with a 10 s heartbeat (pg-boss's
// minimum) and a supervise pass every 2 s.

const cluster = usePostgresCluster();
const heartbeatSeconds = 10;
const superviseIntervalSeconds = 2;
const deliveryExpireSeconds = 30;

interface Pair {
  clock: TestClock;
  first: PostgresStorage;
  second: PostgresStorage;
}

let opened: PostgresStorage[] = [];

/** Two processes' storages on a fresh database, sharing one virtual clock. */
async function openPair(): Promise<Pair> {
  const url = `${await cluster.createDatabase()}?options=${encodeURIComponent('-c pgboss.test_clock=on')}`;
  const clock = new TestClock();
  const open = () =>
    PostgresStorage.open({
      url,
      poolSize: 4,
      queue: { clock, heartbeatSeconds, superviseIntervalSeconds, deliveryExpireSeconds },
    });
  const [first, second] = [await open(), await open()];
  opened.push(first, second);
  return { clock, first, second };
}

afterEach(async () => {
  for (const storage of opened) await storage.close();
  opened = [];
});

const claim = (store: PostgresStorage, workerId: string, clock: TestClock) =>
  store.triggers.claimTriggers({ workerId, now: clock.now(), leaseMs: lease, services: echo() });

test("a killed worker's trigger runs again once its heartbeat lapses and a supervise pass finds it", async () => {
  const { clock, first, second } = await openPair();
  const trigger = newTrigger();
  await first.createTrigger(trigger);
  expect(await claim(first, 'killed', clock)).toHaveLength(1);
  // Stopped without finishing or giving anything back, as kill -9 would leave it.
  await first.close();

  expect(await claim(second, 'w2', clock)).toEqual([]);
  await clock.tick(heartbeatSeconds * 1000 - 1);
  expect(await claim(second, 'w2', clock)).toEqual([]);
  // The heartbeat has lapsed: the next supervise pass (at most one interval on) gives the job back.
  await clock.tick(1 + superviseIntervalSeconds * 1000);
  const [again] = await claim(second, 'w2', clock);
  expect(again).toMatchObject({ triggerUUID: trigger.triggerUUID, status: 'running', attempts: 2 });
});

test('a heartbeat keeps the lease; a worker that lost it writes nothing, and the new holder finishes', async () => {
  const { clock, first, second } = await openPair();
  const trigger = newTrigger({ callbackUrls: urls });
  await first.createTrigger(trigger);
  await claim(first, 'slow', clock);

  await clock.tick((heartbeatSeconds - 1) * 1000);
  expect(await first.triggers.renewLease(trigger.triggerUUID, 'slow', 0)).toBe(true);
  expect(await second.triggers.renewLease(trigger.triggerUUID, 'w2', 0)).toBe(false);
  await clock.tick((heartbeatSeconds - 1) * 1000);
  expect(await claim(second, 'w2', clock)).toEqual([]);

  // No heartbeat for longer than heartbeatSeconds: the job goes back and another worker takes it.
  await clock.tick((heartbeatSeconds + superviseIntervalSeconds) * 1000);
  expect(await claim(second, 'w2', clock)).toHaveLength(1);
  const finish = { triggerUUID: trigger.triggerUUID, status: 'succeeded' as const, webhookId: 'msg_x' };
  expect(await first.finishTrigger({ ...finish, workerId: 'slow', output: 1, finishedAt: clock.now() })).toBe(false);
  expect(await first.triggers.renewLease(trigger.triggerUUID, 'slow', 0)).toBe(false);
  expect(await first.deliveries.findDeliveries(trigger.triggerUUID)).toEqual([]);
  expect(await first.boss.findJobs('delivery')).toEqual([]);
  expect(await second.finishTrigger({ ...finish, workerId: 'w2', output: 2, finishedAt: clock.now() })).toBe(true);
  expect(await first.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({
    status: 'succeeded',
    output: 2,
    attempts: 2,
  });
  expect(await first.boss.findJobs('delivery')).toHaveLength(urls.length);
});

test('a failed callback attempt is due again at its retry, not before; one that ends failed is dead-lettered', async () => {
  const { clock, first, second } = await openPair();
  const trigger = newTrigger({ callbackUrls: urls });
  await finished(first, trigger, clock.now());
  const claimDue = (store: PostgresStorage, workerId: string) =>
    store.claimDeliveries({ workerId, now: clock.now(), leaseMs: lease, limit: 10 });
  const [one, two] = await claimDue(first, 'd1');
  const startedAt = clock.now();
  // The attempts take 7 ms; their records are written as they end.
  await clock.tick(7);
  const failed = {
    attempt: 1,
    startedAt,
    durationMs: 7,
    statusCode: 503,
    error: 'answered 503',
    retryAt: startedAt + 7 + 5000,
  };
  const record = (store: PostgresStorage, workerId: string, deliveryId: number, attempt: object, status: string) =>
    store.deliveries.recordDeliveryAttempt({
      deliveryId,
      workerId,
      attempt: attempt as typeof failed,
      status: status as 'pending',
    });
  expect(await record(second, 'd2', one!.delivery.deliveryId, failed, 'pending')).toBe(false);
  expect(await record(first, 'd1', one!.delivery.deliveryId, failed, 'pending')).toBe(true);
  const delivered = { attempt: 1, startedAt, durationMs: 7, statusCode: 204 };
  expect(await record(first, 'd1', two!.delivery.deliveryId, delivered, 'delivered')).toBe(true);

  await clock.tick(5000 - 1);
  expect(await claimDue(second, 'd2')).toEqual([]);
  await clock.tick(1);
  const [again] = await claimDue(second, 'd2');
  expect(again?.delivery).toMatchObject({ url: urls[0], attempts: 2 });
  const last = { attempt: 2, startedAt: clock.now(), durationMs: 4, statusCode: 500, error: 'answered 500' };
  expect(await record(second, 'd2', again!.delivery.deliveryId, last, 'failed')).toBe(true);

  // An hour on, in one jump: no attempt is due any more.
  await clock.setTime(clock.now() + 3600 * 1000);
  expect(await claimDue(first, 'd1')).toEqual([]);
  const deliveries = await first.deliveries.findDeliveries(trigger.triggerUUID);
  expect(deliveries.map(({ status, attempts, history }) => ({ status, attempts, history }))).toEqual([
    { status: 'failed', attempts: 2, history: [failed, last] },
    { status: 'delivered', attempts: 1, history: [delivered] },
  ]);
  const dead = await first.boss.findJobs<{ deliveryId: number }>('delivery-dead');
  expect(dead.map((job) => job.data)).toEqual([{ deliveryId: again!.delivery.deliveryId }]);
  expect((await first.queueStats()).pendingDeliveries).toBe(0);
});

test('a resend supersedes the job of the retry it was waiting for: that job, when due, leases nothing', async () => {
  const { clock, first } = await openPair();
  const trigger = newTrigger({ callbackUrls: [urls[0]!] });
  await finished(first, trigger, clock.now());
  const claimDue = () => first.claimDeliveries({ workerId: 'd1', now: clock.now(), leaseMs: lease, limit: 10 });
  const [claimed] = await claimDue();
  const { deliveryId } = claimed!.delivery;
  const startedAt = clock.now();
  const failed = { attempt: 1, startedAt, durationMs: 0, statusCode: 503, retryAt: startedAt + 5000 };
  await first.deliveries.recordDeliveryAttempt({ deliveryId, workerId: 'd1', attempt: failed, status: 'pending' });

  const request = { orgId: 'acme', triggerUUID: trigger.triggerUUID, deliveryId, now: clock.now() };
  expect(await first.admin.resendDelivery(request)).toMatchObject({ outcome: 'resent' });
  const [resent] = await claimDue();
  expect(resent?.delivery).toMatchObject({ deliveryId, attempts: 2 });
  const delivered = { attempt: 2, startedAt, durationMs: 0, statusCode: 204 };
  await first.deliveries.recordDeliveryAttempt({ deliveryId, workerId: 'd1', attempt: delivered, status: 'delivered' });

  await clock.tick(5000);
  expect(await claimDue()).toEqual([]);
  const jobs = await first.boss.findJobs('delivery');
  expect(jobs.map((job) => job.state)).toEqual(['completed', 'completed', 'completed']);
  expect(await first.deliveries.findDeliveries(trigger.triggerUUID)).toMatchObject([
    { status: 'delivered', attempts: 2 },
  ]);
});

test("a dead deliverer's attempt is made again once its job expires; the dead one's record writes nothing", async () => {
  const { clock, first, second } = await openPair();
  const trigger = newTrigger({ callbackUrls: [urls[0]!] });
  await finished(first, trigger, clock.now());
  const claimDue = (store: PostgresStorage, workerId: string) =>
    store.claimDeliveries({ workerId, now: clock.now(), leaseMs: lease, limit: 10 });
  const [claimed] = await claimDue(first, 'dead');
  const { deliveryId } = claimed!.delivery;

  await clock.tick(deliveryExpireSeconds * 1000 - 1);
  expect(await claimDue(second, 'd2')).toEqual([]);
  await clock.tick(1 + superviseIntervalSeconds * 1000);
  const [again] = await claimDue(second, 'd2');
  expect(again?.delivery).toMatchObject({ deliveryId, attempts: 2 });
  const attempt = (n: number) => ({ attempt: n, startedAt: clock.now(), durationMs: 0, statusCode: 204 });
  const record = (store: PostgresStorage, workerId: string, n: number) =>
    store.deliveries.recordDeliveryAttempt({ deliveryId, workerId, attempt: attempt(n), status: 'delivered' });
  expect(await record(first, 'dead', 1)).toBe(false);
  expect(await record(second, 'd2', 2)).toBe(true);
  expect(await first.deliveries.findDeliveries(trigger.triggerUUID)).toMatchObject([
    { status: 'delivered', attempts: 2, history: [{ attempt: 2, statusCode: 204 }] },
  ]);
});
