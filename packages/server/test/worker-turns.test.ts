import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { SqliteStorage, type TriggerRecord } from '../src';
import { createServiceRegistry } from '../src/services/service-registry';
import { TriggerWorker } from '../src/triggers/trigger-worker';
import type { TimeSlices } from '../src/work/time-slice';
import { testConfig } from './support/test-config';
import { VirtualClock } from './support/virtual-clock';
import { when } from './support/when';

const log = { info() {}, warn() {}, error() {}, debug() {}, child: () => log } as unknown as FastifyBaseLogger;
// A slice that never runs out: how many turns the work takes depends on the work alone.
const endless: TimeSlices = { begin: () => ({ over: () => false, end: () => undefined }) };
// A slice over after one batch: workers sharing a store take turns.
const oneBatch: TimeSlices = { begin: () => ({ over: () => true, end: () => undefined }) };

let dir: string;
const opened: SqliteStorage[] = [];
const workers: TriggerWorker[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-worker-turns-'));
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop(0)));
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

function open(): SqliteStorage {
  const store = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  opened.push(store);
  return store;
}

/** A worker on its own connection, over acme's `echo` at `concurrency`; polls only once an hour. */
async function workerOn(
  store: SqliteStorage,
  clock: VirtualClock,
  workerId: string,
  concurrency: number,
  slices = endless,
) {
  const config = await testConfig(dir, (raw) => {
    raw.organisations.acme.services.echo.concurrency = concurrency;
  });
  const worker = new TriggerWorker({
    store,
    services: await createServiceRegistry(config, clock),
    clock,
    log,
    workerId,
    leaseMs: 60_000,
    pollIntervalMs: 3_600_000,
    maxAttempts: 3,
    outputBytes: 65_536,
    webhookId: () => 'msg_test',
    slices,
  });
  workers.push(worker);
  return worker;
}

/** Writes `count` queued echo triggers of acme, oldest first; answers their triggerUUIDs. */
async function queueEcho(store: SqliteStorage, clock: VirtualClock, count: number): Promise<string[]> {
  const triggerUUIDs = Array.from(
    { length: count },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  );
  await Promise.all(
    triggerUUIDs.map((triggerUUID, i) =>
      store.createTrigger({
        triggerUUID,
        orgId: 'acme',
        vsn: 'echo',
        triggerParameters: { n: String(i) },
        callbackUrls: [],
        requestId: `request-${i}`,
        createdAt: clock.now() - count + i,
      }),
    ),
  );
  return triggerUUIDs;
}

/** Numbers the turns of the event loop from now on, until stopped. */
function turnCounter() {
  let turn = 0;
  let counting = true;
  const tick = () => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  return { now: () => turn, stop: () => (counting = false) };
}

const allFinished = (store: SqliteStorage, worker: Pick<EventEmitter, 'on' | 'off'>) =>
  when(worker, 'finished', async () => (await store.triggers.countUnfinishedTriggers('acme')) === 0);

test('in-process triggers run batch after batch within one turn, with no poll interval and no time passing', async () => {
  const clock = new VirtualClock();
  const store = open();
  await queueEcho(store, clock, 40);
  const worker = await workerOn(store, clock, 'here', 4);
  const turns = turnCounter();
  const ranIn = new Set<number>();
  const claims: number[] = [];
  worker.on('running', () => ranIn.add(turns.now()));
  worker.on('claimed', (count) => claims.push(count));
  const startedAt = clock.now();

  worker.start();
  await allFinished(store, worker);
  turns.stop();

  // Ten batches of four, each claimed as the one before handed its outcomes over: one turn for all.
  expect(claims.filter((count) => count > 0)).toEqual(Array(10).fill(4));
  expect(ranIn.size).toBe(1);
  expect(clock.now()).toBe(startedAt);
});

test('a finished run frees its slot when its outcome is handed over: the next claim writes it and takes the slot, in the same turn', async () => {
  const clock = new VirtualClock();
  const store = open();
  const [first, second] = await queueEcho(store, clock, 2);
  const worker = await workerOn(store, clock, 'here', 1);
  const turns = turnCounter();
  const events: string[] = [];
  let firstWhenSecondRan: Promise<TriggerRecord | undefined> | undefined;
  worker.on('running', (trigger) => {
    events.push(`running ${trigger.triggerUUID} in turn ${turns.now()}`);
    // Read at once (the store reads synchronously): what the claim of the second left of the first.
    if (trigger.triggerUUID === second) firstWhenSecondRan = store.triggers.findTrigger('acme', first!);
  });
  worker.on('finished', (trigger) => events.push(`finished ${trigger.triggerUUID} in turn ${turns.now()}`));

  worker.start();
  await allFinished(store, worker);
  turns.stop();

  // A group commit would have committed the first's outcome on the next turn at the earliest: the
  // claim of the second wrote it, so the service's one slot was free for the second at once (and
  // the claim after, which found nothing more, wrote the second's).
  const turn = events[0]!.split(' ').at(-1);
  expect(events).toEqual([
    `running ${first} in turn ${turn}`,
    `finished ${first} in turn ${turn}`,
    `running ${second} in turn ${turn}`,
    `finished ${second} in turn ${turn}`,
  ]);
  expect(await firstWhenSecondRan).toMatchObject({ status: 'succeeded', output: { n: '0' } });
});

test("a service's concurrency holds across two workers racing over a burst, and each trigger runs once", async () => {
  const clock = new VirtualClock();
  const concurrency = 3;
  const here = open();
  const there = open();
  const triggerUUIDs = await queueEcho(here, clock, 300);
  const workersRacing = [
    await workerOn(here, clock, 'here', concurrency, oneBatch),
    await workerOn(there, clock, 'there', concurrency, oneBatch),
  ];
  const leasedAtEachStart: number[] = [];
  const runningAtEachStart: number[] = [];
  const ranBy = new Map<TriggerWorker, number>();
  const finishes = new EventEmitter();
  for (const worker of workersRacing) {
    worker.on('finished', () => finishes.emit('finished'));
    worker.on('running', () => {
      ranBy.set(worker, (ranBy.get(worker) ?? 0) + 1);
      runningAtEachStart.push(workersRacing.reduce((sum, one) => sum + one.runningCount, 0));
      void here.triggers.countByState().then((counts) => {
        leasedAtEachStart.push(counts.find(({ status }) => status === 'running')?.count ?? 0);
      });
    });
  }

  for (const worker of workersRacing) worker.start();
  await when(finishes, 'finished', async () => (await here.triggers.countUnfinishedTriggers('acme')) === 0);

  expect(runningAtEachStart).toHaveLength(300);
  expect(Math.max(...runningAtEachStart)).toBeLessThanOrEqual(concurrency);
  expect(Math.max(...leasedAtEachStart)).toBeLessThanOrEqual(concurrency);
  // Both took part, and no trigger ran twice.
  expect([...ranBy.values()].every((count) => count > 0)).toBe(true);
  const finished = await Promise.all(triggerUUIDs.map((id) => here.triggers.findTrigger('acme', id)));
  expect(finished.every((trigger) => trigger?.status === 'succeeded' && trigger.attempts === 1)).toBe(true);
});
