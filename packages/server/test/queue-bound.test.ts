import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage, type TriggerStore } from '../src';
import { DrainRate } from '../src/limits/drain-rate';
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
  expect(await bound.admit('acme')).toMatchObject({ reason: 'full', retryAfterSeconds: 5 });
  // Another organisation has a bound of its own.
  expect(await bound.admit('globex')).toBe(true);
});

test('a withdrawn admission makes room again', async () => {
  const bound = new QueueBound(counted(), new VirtualClock(), 1);
  expect(await bound.admit('acme')).toBe(true);
  bound.withdraw('acme');
  expect(await bound.admit('acme')).toBe(true);
  expect(await bound.admit('acme')).toMatchObject({ reason: 'full', retryAfterSeconds: 5 });
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
  expect(await bound.admit('acme')).toMatchObject({ reason: 'full', retryAfterSeconds: 5 });
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

describe('in a cluster, where other processes write triggers too', () => {
  test("admits only on a count of the moment, so the others' writes of a moment ago count", async () => {
    const clock = new VirtualClock();
    const bound = new QueueBound(counted(), clock, 2, undefined, true);
    expect(await bound.admit('acme')).toBe(true);
    // Another process writes one: the next admission counts again and sees it.
    await queued('acme');
    await queued('acme');
    expect(await bound.admit('acme')).toMatchObject({ reason: 'full', retryAfterSeconds: 5 });
    expect(counts).toBe(2);
  });

  test('a refusal is trusted for a quarter second: a flood of refused executes costs one count', async () => {
    const clock = new VirtualClock();
    const bound = new QueueBound(counted(), clock, 1, undefined, true);
    await queued('acme');
    for (let i = 0; i < 5; i++) expect(await bound.admit('acme')).toMatchObject({ reason: 'full' });
    expect(counts).toBe(1);
    await clock.advance(250);
    expect(await bound.admit('acme')).toMatchObject({ reason: 'full' });
    expect(counts).toBe(2);
  });

  test('requests arriving together still share one count, and each is counted once admitted', async () => {
    const bound = new QueueBound(counted(), new VirtualClock(), 3, undefined, true);
    expect(await Promise.all([1, 2, 3, 4].map(() => bound.admit('acme')))).toEqual([
      true,
      true,
      true,
      expect.objectContaining({ reason: 'full' }),
    ]);
    expect(counts).toBe(1);
  });
});

describe('with the pace of the workers', () => {
  test('refuses once the triggers ahead would take longer than the longest wait to drain', async () => {
    const clock = new VirtualClock();
    const drain = new DrainRate(clock);
    const bound = new QueueBound(counted(), clock, 100, { drain, maxWaitSeconds: 4 });
    for (let i = 0; i < 5; i++) await queued('acme');
    // Nothing drained yet: only the hard bound applies.
    expect(await bound.admit('acme')).toBe(true);
    // Two triggers finished in the two seconds since: one a second.
    await clock.advance(1000);
    drain.finished('acme');
    await clock.advance(1000);
    drain.finished('acme');
    expect(drain.perSecond('acme')).toBe(1);
    // Five ahead (the store's count) drain in five seconds, one more than the four allowed: come
    // back in a second.
    expect(await bound.admit('acme')).toEqual({ reason: 'slow', retryAfterSeconds: 1, waitSeconds: 5 });
    // Another organisation drains at its own pace.
    expect(await bound.admit('globex')).toBe(true);
  });

  test('the hard bound asks to wait until enough has drained', async () => {
    const clock = new VirtualClock();
    const drain = new DrainRate(clock);
    const bound = new QueueBound(counted(), clock, 2, { drain, maxWaitSeconds: 60 });
    for (let i = 0; i < 4; i++) await queued('acme');
    await clock.advance(500);
    drain.finished('acme');
    // Two a second; four unfinished of at most two: three must drain for one more to fit.
    expect(await bound.admit('acme')).toEqual({ reason: 'full', retryAfterSeconds: 1.5, waitSeconds: 2 });
  });

  test('an empty queue starts the measure again', async () => {
    const clock = new VirtualClock();
    const drain = new DrainRate(clock);
    const bound = new QueueBound(counted(), clock, 100, { drain, maxWaitSeconds: 4 });
    drain.finished('acme');
    expect(drain.perSecond('acme')).toBeDefined();
    expect(await bound.admit('acme')).toBe(true);
    expect(drain.perSecond('acme')).toBeUndefined();
  });
});
