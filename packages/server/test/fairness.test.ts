import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, openStorage, type AutoFacilitateServer, type ServerConfig } from '../src';
import { execute, tokenFor } from './support/api-client';
import { triggerFinished } from './support/server-events';
import { secrets, testConfig } from './support/test-config';
import { keepSqlite } from './support/test-storage';
import { VirtualClock } from './support/virtual-clock';
import { when } from './support/when';

keepSqlite(
  'it seeds a backlog of 50,000 triggers before it starts, which takes SQLite a second and PostgreSQL ' +
    "(a round trip and a pg-boss job each) longer than the test's time; one service's queue not holding up " +
    "another's on PostgreSQL is pg-boss's group concurrency, tested in postgres-jobs.test.ts",
);

const backlog = 50_000;
let dir: string;
let server: AutoFacilitateServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-fairness-'));
});

afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Writes acme's backlog straight to the configuration's store, as another process would. */
async function seedBacklog(config: ServerConfig, clock: VirtualClock): Promise<void> {
  const store = await openStorage(config, { clock });
  await Promise.all(
    Array.from({ length: backlog }, (_, i) =>
      store.createTrigger({
        triggerUUID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        orgId: 'acme',
        vsn: 'echo',
        triggerParameters: { n: String(i) },
        callbackUrls: [],
        requestId: `backlog-${i}`,
        createdAt: clock.now() - backlog + i,
      }),
    ),
  );
  await store.close();
}

test("one organisation's backlog of 50k does not hold back another's trigger: it finishes at once", async () => {
  const clock = new VirtualClock();
  // A poll an hour away: only the wake-up of execute can bring globex's trigger to the worker.
  const config = await testConfig(dir, (raw) => {
    raw.workers.pollIntervalMs = 3_600_000;
  });
  await seedBacklog(config, clock);
  server = await createServer(config, { clock });
  const url = await server.listen();
  const acmeFinished = () => when(server!.worker, 'finished', () => true);
  // acme's backlog is being worked through.
  for (let i = 0; i < 8; i++) await acmeFinished();

  const globex = { token: await tokenFor(url, 'globex-client', secrets.globexClient), apiKey: secrets.globexKey };
  const executedAt = clock.now();
  const started = await execute(url, 'globex', 'echo', globex, { triggerParameters: { key: 'value' } });
  expect(started.status).toBe(200);
  await triggerFinished(server, 'globex', started.json.triggerUUID);

  const finished = await server.store.triggers.findTrigger('globex', started.json.triggerUUID);
  expect(finished).toMatchObject({ status: 'succeeded', output: { key: 'value' } });
  // Within 100 ms, on the server's clock: no poll interval passed, no time at all.
  expect(finished!.finishedAt! - executedAt).toBeLessThanOrEqual(100);
  expect(clock.now()).toBe(executedAt);
  // Not behind acme's queue: nearly all of it still waits.
  expect(await server.store.triggers.countUnfinishedTriggers('acme')).toBeGreaterThan(backlog - 5000);
});
