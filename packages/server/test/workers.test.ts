import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, SqliteStorage, type AutoFacilitateServer } from '../src';
import { execute, finalResult, result, tokenFor, type Caller } from './support/api-client';
import { ManualClock } from './support/manual-clock';
import { secrets, testConfig, type RawConfig } from './support/test-config';

let dir: string;
const running: AutoFacilitateServer[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-workers-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(adjust: (raw: RawConfig) => void = () => undefined, clock?: ManualClock) {
  const server = await createServer(await testConfig(dir, adjust), clock ? { clock } : {});
  running.push(server);
  const url = await server.listen();
  const acme: Caller = { token: await tokenFor(url, 'acme-client', secrets.acmeClient), apiKey: secrets.acmeKey };
  return { server, url, acme };
}

function newTrigger(vsn: string, triggerParameters: Record<string, string> = {}) {
  return {
    triggerUUID: '11111111-2222-4333-8444-555555555555',
    orgId: 'acme',
    vsn,
    triggerParameters,
    callbackUrls: [],
    requestId: 'request-1',
    createdAt: Date.now(),
  };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition was never met');
}

test('a trigger whose worker died is run again once its lease runs out', async () => {
  const { server, url, acme } = await start((raw) => {
    raw.workers.leaseMs = 300;
  });
  const trigger = newTrigger('echo', { key: 'value' });
  await server.store.createTrigger(trigger);
  // Another worker, which never comes back, claims the trigger first.
  const other = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  await other.triggers.claimTriggers({ workerId: 'dead', now: Date.now(), leaseMs: 300, services: [{ orgId: 'acme', vsn: 'echo', concurrency: 10 }] });
  await other.close();

  const answer = await finalResult(url, 'acme', 'echo', trigger.triggerUUID, acme);
  expect(answer.status).toBe(200);
  expect(answer.json.output).toEqual({ key: 'value' });
  expect(await server.store.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ attempts: 2 });
});

test('a trigger whose workers keep dying fails once it has had maxAttempts', async () => {
  const { server, url, acme } = await start((raw) => {
    raw.workers.leaseMs = 300;
    raw.workers.maxAttempts = 1;
  });
  const trigger = newTrigger('echo');
  await server.store.createTrigger(trigger);
  const other = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  await other.triggers.claimTriggers({ workerId: 'dead', now: Date.now(), leaseMs: 300, services: [{ orgId: 'acme', vsn: 'echo', concurrency: 10 }] });
  await other.close();

  const answer = await finalResult(url, 'acme', 'echo', trigger.triggerUUID, acme);
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({
    status: 'failed',
    error: { scope: 'service', reason: 'Abandoned', message: 'The trigger was interrupted 1 times and is not run again' },
  });
});

test('a running trigger keeps its lease: no other process takes it while it runs', async () => {
  // The run lasts several leases; renewals (every third of a lease) keep it.
  const { server, url, acme } = await start((raw) => {
    raw.workers.leaseMs = 1000;
  });
  const started = await execute(url, 'acme', 'nap', acme, { triggerParameters: { ms: '3500' } });
  const { triggerUUID } = started.json;
  await until(async () => (await server.store.triggers.findTrigger('acme', triggerUUID))?.status === 'running');
  const other = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  try {
    for (let poll = 0; poll < 25; poll++) {
      const claimed = await other.triggers.claimTriggers({ workerId: 'rival', now: Date.now(), leaseMs: 1000, services: [{ orgId: 'acme', vsn: 'nap', concurrency: 10 }] });
      expect(claimed).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await other.close();
  }
  expect((await finalResult(url, 'acme', 'nap', triggerUUID, acme)).status).toBe(204);
  expect(await server.store.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ attempts: 1 });
});

test('a service runs as many triggers at once as its concurrency allows, and no more', async () => {
  const { server, url, acme } = await start((raw) => {
    raw.organisations.acme.services.pair = { kind: 'sleep', ms: 60000, timeoutMs: 120000, concurrency: 2 };
  });
  // One after the other, so that each is claimed on its own while the others run.
  const triggerUUIDs: string[] = [];
  for (let i = 0; i < 3; i++) triggerUUIDs.push((await execute(url, 'acme', 'pair', acme, {})).json.triggerUUID);
  const statuses = async () => Promise.all(triggerUUIDs.map(async (id) => (await server.store.triggers.findTrigger('acme', id))!.status));
  await until(async () => (await statuses()).filter((status) => status === 'running').length >= 2);
  expect((await statuses()).sort()).toEqual(['queued', 'running', 'running']);
});

test('stopping gives running triggers back; the next start runs them', async () => {
  const first = await start((raw) => {
    raw.server.shutdownGraceMs = 0;
  });
  const started = await execute(first.url, 'acme', 'nap', first.acme, { triggerParameters: { ms: '400' } });
  const { triggerUUID } = started.json;
  await until(async () => (await first.server.store.triggers.findTrigger('acme', triggerUUID))?.status === 'running');
  await first.server.close();

  const reader = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  expect(await reader.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ status: 'queued', attempts: 0 });
  await reader.close();

  const second = await start();
  const answer = await finalResult(second.url, 'acme', 'nap', triggerUUID, second.acme);
  expect(answer.status).toBe(204);
});

test('stopping lets a running trigger finish within the grace period', async () => {
  const { server, url, acme } = await start((raw) => {
    raw.server.shutdownGraceMs = 10_000;
  });
  const started = await execute(url, 'acme', 'nap', acme, { triggerParameters: { ms: '200' } });
  const { triggerUUID } = started.json;
  await until(async () => (await server.store.triggers.findTrigger('acme', triggerUUID))?.status === 'running');
  await server.close();
  const reader = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  expect(await reader.triggers.findTrigger('acme', triggerUUID)).toMatchObject({ status: 'succeeded' });
  await reader.close();
});

test('an API-only process (workers.enabled: false) queues triggers for the others', async () => {
  const { server, url, acme } = await start((raw) => {
    raw.workers.enabled = false;
  });
  const started = await execute(url, 'acme', 'echo', acme, { triggerParameters: { key: 'value' } });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect((await result(url, 'acme', 'echo', started.json.triggerUUID, acme)).json.status).toBe('queued');
  expect(server.worker.runningCount).toBe(0);
});

test('results are removed after the retention period, tokens once expired', async () => {
  const clock = new ManualClock(Date.now());
  const { server, url, acme } = await start((raw) => {
    raw.results = { retentionSeconds: 60 };
  }, clock);
  const started = await execute(url, 'acme', 'echo', acme, { triggerParameters: { key: 'value' } });
  const { triggerUUID } = started.json;
  expect((await finalResult(url, 'acme', 'echo', triggerUUID, acme)).status).toBe(200);

  clock.advance(59_000);
  await server.retention.sweep();
  expect((await result(url, 'acme', 'echo', triggerUUID, acme)).status).toBe(200);

  clock.advance(2_000);
  await server.retention.sweep();
  expect((await result(url, 'acme', 'echo', triggerUUID, acme)).status).toBe(404);

  const tokenHash = createHash('sha256').update(acme.token!).digest('hex');
  // Looked up as of the start of time, the token is found until it is removed.
  expect(await server.store.tokens.findToken(tokenHash, 0)).toBeDefined();
  clock.advance(3600 * 1000);
  await server.retention.sweep();
  expect(await server.store.tokens.findToken(tokenHash, 0)).toBeUndefined();
});
