import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, openStorage, type AutoFacilitateServer, type ServerConfig } from '../src';
import { execute, finalResult, result, tokenFor, type Caller } from './support/api-client';
import { triggerFinished, triggerRunning } from './support/server-events';
import { secrets, testConfig, type RawConfig } from './support/test-config';
import { onTheLeaseClock, sqliteOnly } from './support/test-storage';
import { VirtualClock } from './support/virtual-clock';
import { when } from './support/when';

let dir: string;
const running: AutoFacilitateServer[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-workers-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(adjust: (raw: RawConfig) => void = () => undefined, clock?: VirtualClock) {
  const config = await testConfig(dir, adjust);
  const server = await createServer(config, clock ? { clock } : {});
  running.push(server);
  const url = await server.listen();
  const acme: Caller = { token: await tokenFor(url, 'acme-client', secrets.acmeClient), apiKey: secrets.acmeKey };
  return {
    server,
    config,
    url,
    acme,
    finished: (orgId: string, triggerUUID: string) => triggerFinished(server, orgId, triggerUUID),
  };
}

function newTrigger(vsn: string, triggerParameters: Record<string, string>, createdAt: number) {
  return {
    triggerUUID: '11111111-2222-4333-8444-555555555555',
    orgId: 'acme',
    vsn,
    triggerParameters,
    callbackUrls: [],
    requestId: 'request-1',
    createdAt,
  };
}

/** Another process's store: the configuration's, opened beside the server's. */
const storeOf = (config: ServerConfig) => openStorage(config, { poolSize: 1 });

/** Another process's worker, which claims a trigger and never comes back. */
async function claimedByTheDead(config: ServerConfig, now: number, leaseMs: number): Promise<void> {
  const other = await storeOf(config);
  await other.triggers.claimTriggers({
    workerId: 'dead',
    now,
    leaseMs,
    services: [{ orgId: 'acme', vsn: 'echo', concurrency: 10 }],
  });
  await other.close();
}

test('a trigger whose worker died is run again once its lease runs out', async () => {
  const clock = new VirtualClock();
  const started = await start((raw) => {
    sqliteOnly(raw, onTheLeaseClock);
    raw.workers.leaseMs = 300;
  }, clock);
  const { server, acme } = started;
  const trigger = newTrigger('echo', { key: 'value' }, clock.now());
  await server.store.createTrigger(trigger);
  await claimedByTheDead(started.config, clock.now(), 300);

  await clock.advance(299);
  expect(await server.store.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({
    status: 'running',
    attempts: 1,
  });
  await clock.advance(1);
  const answer = await finalResult(started, 'acme', 'echo', trigger.triggerUUID, acme);
  expect(answer.status).toBe(200);
  expect(answer.json.output).toEqual({ key: 'value' });
  expect(await server.store.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ attempts: 2 });
});

test('a trigger whose workers keep dying fails once it has had maxAttempts', async () => {
  const clock = new VirtualClock();
  const started = await start((raw) => {
    sqliteOnly(raw, onTheLeaseClock);
    raw.workers.leaseMs = 300;
    raw.workers.maxAttempts = 1;
  }, clock);
  const trigger = newTrigger('echo', {}, clock.now());
  await started.server.store.createTrigger(trigger);
  await claimedByTheDead(started.config, clock.now(), 300);

  await clock.advance(300);
  const answer = await finalResult(started, 'acme', 'echo', trigger.triggerUUID, started.acme);
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({
    status: 'failed',
    error: {
      scope: 'service',
      reason: 'Abandoned',
      message: 'The trigger was interrupted 1 times and is not run again',
    },
  });
});

test('a running trigger keeps its lease: no other process takes it while it runs', async () => {
  // The run lasts several leases; renewals (every third of a lease) keep it.
  const clock = new VirtualClock();
  const started = await start((raw) => {
    raw.workers.leaseMs = 1000;
  }, clock);
  const { server, url, acme } = started;
  const { triggerUUID } = (await execute(url, 'acme', 'nap', acme, { triggerParameters: { ms: '3500' } })).json;
  await triggerRunning(server, 'acme', triggerUUID);
  const other = await storeOf(started.config);
  try {
    for (let poll = 0; poll < 25; poll++) {
      const claimed = await other.triggers.claimTriggers({
        workerId: 'rival',
        now: clock.now(),
        leaseMs: 1000,
        services: [{ orgId: 'acme', vsn: 'nap', concurrency: 10 }],
      });
      expect(claimed).toEqual([]);
      await clock.advance(100);
    }
  } finally {
    await other.close();
  }
  await clock.advance(1000);
  expect((await finalResult(started, 'acme', 'nap', triggerUUID, acme)).status).toBe(204);
  expect(await server.store.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ attempts: 1 });
});

test('a service runs as many triggers at once as its concurrency allows, and no more', async () => {
  const { server, url, acme } = await start((raw) => {
    raw.organisations.acme.services.pair = { kind: 'sleep', ms: 60000, timeoutMs: 120000, concurrency: 2 };
  });
  // One after the other, so that each is claimed on its own while the others run.
  const triggerUUIDs: string[] = [];
  for (let i = 0; i < 3; i++) triggerUUIDs.push((await execute(url, 'acme', 'pair', acme, {})).json.triggerUUID);
  const statuses = async () =>
    Promise.all(triggerUUIDs.map(async (id) => (await server.store.triggers.findTrigger('acme', id))!.status));
  await when(
    server.worker,
    'running',
    async () => (await statuses()).filter((status) => status === 'running').length >= 2,
  );
  expect((await statuses()).sort()).toEqual(['queued', 'running', 'running']);
  expect(server.worker.runningCount).toBe(2);
});

test('stopping gives running triggers back; the next start runs them', async () => {
  // Time stands still: the trigger is still running when the server stops, however slow the machine.
  const first = await start((raw) => {
    raw.server.shutdownGraceMs = 0;
  }, new VirtualClock());
  const started = await execute(first.url, 'acme', 'nap', first.acme, { triggerParameters: { ms: '400' } });
  const { triggerUUID } = started.json;
  await triggerRunning(first.server, 'acme', triggerUUID);
  await first.server.close();

  const reader = await storeOf(first.config);
  expect(await reader.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ status: 'queued', attempts: 0 });
  await reader.close();

  const clock = new VirtualClock();
  const second = await start(undefined, clock);
  await triggerRunning(second.server, 'acme', triggerUUID);
  await clock.advance(400);
  const answer = await finalResult(second, 'acme', 'nap', triggerUUID, second.acme);
  expect(answer.status).toBe(204);
});

test('stopping lets a running trigger finish within the grace period', async () => {
  const clock = new VirtualClock();
  const { server, config, url, acme } = await start((raw) => {
    raw.server.shutdownGraceMs = 10_000;
  }, clock);
  const started = await execute(url, 'acme', 'nap', acme, { triggerParameters: { ms: '200' } });
  const { triggerUUID } = started.json;
  await triggerRunning(server, 'acme', triggerUUID);
  const closing = server.close();
  // The grace period has begun, the trigger still running; it finishes within it.
  await clock.whenSet(10_000);
  await clock.advance(200);
  await closing;
  const reader = await storeOf(config);
  expect(await reader.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ status: 'succeeded' });
  await reader.close();
});

test('an API-only process (workers.enabled: false) queues triggers for the others', async () => {
  const clock = new VirtualClock();
  const { server, url, acme } = await start((raw) => {
    raw.workers.enabled = false;
  }, clock);
  const started = await execute(url, 'acme', 'echo', acme, { triggerParameters: { key: 'value' } });
  // Twenty poll intervals pass, and nothing claims the trigger.
  await clock.advance(1000);
  expect((await result(url, 'acme', 'echo', started.json.triggerUUID, acme)).json.status).toBe('queued');
  expect(server.worker.runningCount).toBe(0);
});

test('results are removed after the retention period, tokens once expired', async () => {
  const clock = new VirtualClock(Date.now());
  const started = await start((raw) => {
    raw.results = { retentionSeconds: 60 };
  }, clock);
  const { server, url, acme } = started;
  const { triggerUUID } = (await execute(url, 'acme', 'echo', acme, { triggerParameters: { key: 'value' } })).json;
  expect((await finalResult(started, 'acme', 'echo', triggerUUID, acme)).status).toBe(200);

  await clock.advance(59_000);
  await server.retention.sweep();
  expect((await result(url, 'acme', 'echo', triggerUUID, acme)).status).toBe(200);

  await clock.advance(2_000);
  await server.retention.sweep();
  expect((await result(url, 'acme', 'echo', triggerUUID, acme)).status).toBe(404);

  const tokenHash = createHash('sha256').update(acme.token!).digest('hex');
  // Looked up as of the start of time, the token is found until it is removed.
  expect(await server.store.tokens.findToken(tokenHash, 0)).toMatchObject({ orgId: 'acme', clientId: 'acme-client' });
  await clock.advance(3600 * 1000);
  await server.retention.sweep();
  expect(await server.store.tokens.findToken(tokenHash, 0)).toBeUndefined();
});

test('the retention sweeper runs by itself at its interval', async () => {
  const clock = new VirtualClock();
  const started = await start((raw) => {
    raw.results = { retentionSeconds: 60, purgeIntervalSeconds: 30 };
  }, clock);
  // Watched, not replaced: the sweeps the clock starts are awaited before the store is read.
  const purge = jest.spyOn(started.server.store, 'purge');
  const lastSweep = () => purge.mock.results.at(-1)?.value;
  const { triggerUUID } = (await execute(started.url, 'acme', 'echo', started.acme, {})).json;
  await finalResult(started, 'acme', 'echo', triggerUUID, started.acme);
  await clock.advance(59_000);
  await lastSweep();
  expect(await started.server.store.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ status: 'succeeded' });
  // The sweep due at 60 s, late with the jump to 90 s, finds the result older than 60 s.
  const sweeps = purge.mock.calls.length;
  await clock.advance(31_000);
  expect(purge.mock.calls.length).toBeGreaterThan(sweeps);
  await lastSweep();
  expect(await started.server.store.triggers.findTrigger('acme', triggerUUID)).toBeUndefined();
});
