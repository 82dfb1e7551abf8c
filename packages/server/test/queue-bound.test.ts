import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage, type TriggerStore } from '../src';
import { QueueBound } from '../src/limits/queue-bound';
import { VirtualClock } from './support/virtual-clock';

let dir: string;
let storage: SqliteStorage;
let counts: number;
let sequence = 0;

// The real trigger store, counting how often it is asked for a count.
const counted = (): TriggerStore =>
  new Proxy(storage.triggers, {
    get(target, property) {
      if (property !== 'countUnfinishedTriggers') return Reflect.get(target, property);
      return (orgId: string) => {
        counts++;
        return target.countUnfinishedTriggers(orgId);
      };
    },
  });

async function queued(orgId: string): Promise<void> {
  sequence++;
  const triggerUUID = `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
  await storage.createTrigger({
    triggerUUID,
    orgId,
    vsn: 'echo',
    triggerParameters: {},
    callbackUrls: [],
    requestId: `r${sequence}`,
    createdAt: sequence,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-queue-bound-'));
  storage = new SqliteStorage({ file: join(dir, 'store.sqlite') });
  counts = 0;
});

afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

test('admits up to the bound, counting what the store holds and what it admitted since', async () => {
  await queued('acme');
  const bound = new QueueBound(counted(), new VirtualClock(), 3);
  expect(await bound.admit('acme')).toBe(true);
  expect(await bound.admit('acme')).toBe(true);
  expect(await bound.admit('acme')).toBe(false);
  // Another organisation has a bound of its own.
  expect(await bound.admit('globex')).toBe(true);
});

test('a withdrawn admission makes room again', async () => {
  const bound = new QueueBound(counted(), new VirtualClock(), 1);
  expect(await bound.admit('acme')).toBe(true);
  bound.withdraw('acme');
  expect(await bound.admit('acme')).toBe(true);
  expect(await bound.admit('acme')).toBe(false);
});

test("trusts a count for a quarter second, then asks the store again and sees the others' writes", async () => {
  const clock = new VirtualClock();
  const bound = new QueueBound(counted(), clock, 2);
  expect(await bound.admit('acme')).toBe(true);
  await queued('acme');
  await queued('acme');
  await clock.advance(249);
  expect(await bound.admit('acme')).toBe(true);
  expect(counts).toBe(1);
  await clock.advance(1);
  expect(await bound.admit('acme')).toBe(false);
  expect(counts).toBe(2);
});

test('requests arriving together share one count', async () => {
  const bound = new QueueBound(counted(), new VirtualClock(), 10);
  expect(await Promise.all([bound.admit('acme'), bound.admit('acme'), bound.admit('acme')])).toEqual([
    true,
    true,
    true,
  ]);
  expect(counts).toBe(1);
});
