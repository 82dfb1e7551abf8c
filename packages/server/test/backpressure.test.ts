import { call, execute, type Caller } from './support/api-client';
import { VirtualClock } from './support/virtual-clock';
import { startTestServer, type TestServer } from './support/test-server';
import { keepSqlite } from './support/test-storage';

keepSqlite(
  'the pace is measured over virtual seconds, between which the clock lets a finish and the next claim land ' +
    "in a few turns of the event loop, as SQLite's in-process writes do; PostgreSQL's round trips take longer, " +
    "so on it the harness's pace would be measured, not the workers'",
);

// The longest a new trigger may wait behind the others in these tests.
const queueWaitSeconds = 5;

let clock: VirtualClock;
let server: TestServer;
let acme: Caller;

beforeEach(async () => {
  clock = new VirtualClock();
  server = await startTestServer(
    (raw) => {
      raw.limits = { queueWaitSeconds };
      // One trigger a second, one at a time.
      raw.organisations.acme.services.plodding = { kind: 'sleep', ms: 1000, concurrency: 1 };
    },
    { clock },
  );
  acme = await server.acme();
});

// Stopping waits out the grace period of the triggers still running, on the virtual clock.
afterEach(async () => {
  let closed = false;
  const closing = server.close().finally(() => (closed = true));
  while (!closed) await clock.advance(500);
  await closing;
});

/** The value of a series of `GET /metrics`, e.g. `autofacilitate_drain_rate{org_id="acme"}`. */
async function metric(series: string): Promise<number | undefined> {
  const text = (await call(`${server.url}/metrics`)).text;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function executeMany(vsn: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await execute(server.url, 'acme', vsn, acme, {})).status);
  return statuses;
}

test('a queue that drains slowly answers 429 with a Retry-After from the drain rate; another organisation is not held up', async () => {
  // Before anything finished there is no pace to go by: only queuedTriggers bounds the queue.
  expect(await executeMany('plodding', 20)).toEqual(Array(20).fill(200));
  expect(await metric('autofacilitate_drain_rate{org_id="acme"}')).toBeUndefined();

  await clock.advance(3000);
  const refused = await execute(server.url, 'acme', 'plodding', acme, {});
  expect(refused.status).toBe(429);
  expect(refused.json.code).toBe('429');
  expect(refused.json.errors).toEqual([
    {
      scope: 'global',
      reason: 'Queue full',
      message: expect.stringMatching(
        /^The organisation acme's unfinished triggers would take \d+ s to finish at the workers' current pace, longer than the 5 s a new trigger may wait$/,
      ),
    },
  ]);

  // About one a second finished, and the answer's Retry-After is the time the queue ahead takes
  // to drain at that rate to what may wait.
  const perSecond = (await metric('autofacilitate_drain_rate{org_id="acme"}'))!;
  expect(perSecond).toBeGreaterThan(0.5);
  expect(perSecond).toBeLessThanOrEqual(1);
  const unfinished = await server.server.store.triggers.countUnfinishedTriggers('acme');
  expect(await metric('autofacilitate_queue_wait_seconds{org_id="acme"}')).toBeCloseTo(unfinished / perSecond);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBe(Math.ceil(unfinished / perSecond - queueWaitSeconds));
  expect(retryAfter).toBeGreaterThanOrEqual(10);
  expect(refused.json.errors[0].message).toContain(`would take ${Math.ceil(unfinished / perSecond)} s`);

  // The other organisation's queue is its own.
  expect((await execute(server.url, 'globex', 'echo', await server.globex(), {})).status).toBe(200);

  // Once the queue ahead has drained for Retry-After seconds, a trigger is taken again.
  await clock.advance(retryAfter * 1000 + 1000);
  expect((await execute(server.url, 'acme', 'plodding', acme, {})).status).toBe(200);
});

test('a queue that drains fast is not refused', async () => {
  expect(await executeMany('quick', 30)).toEqual(Array(30).fill(200));
  await clock.advance(100);
  expect(await metric('autofacilitate_drain_rate{org_id="acme"}')).toBeGreaterThan(30);
  for (let round = 0; round < 3; round++) {
    expect(await executeMany('quick', 30)).toEqual(Array(30).fill(200));
    await clock.advance(300);
  }
  expect(await metric('autofacilitate_drain_rate{org_id="acme"}')).toBeGreaterThan(30);
});
