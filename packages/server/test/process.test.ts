import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, openStorage, type ServerConfig, type Storage } from '../src';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { execute, finalResult, result, type Runner } from './support/api-client';
import { processServers } from './support/process-servers';
import { startProcess, type ServerProcess } from './support/server-process';
import { testEnv } from './support/test-config';
import { sqliteOnly } from './support/test-storage';

const fixtures = join(__dirname, 'fixtures');
const { dir: scratch, configFile, start } = processServers();
const receivers: CallbackReceiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

// Each configuration file read once: the tests ask its store often.
const configs = new Map<string, Promise<ServerConfig>>();

/** The store of the configuration in `file`, opened as another process would. */
async function storeOf(file: string): Promise<Storage> {
  if (!configs.has(file)) configs.set(file, loadConfig(file, testEnv));
  return openStorage(await configs.get(file)!, { poolSize: 1 });
}

// One reader per configuration file and test: opening a store for every look (on PostgreSQL, with
// pg-boss) would cost more than the look.
const readers = new Map<string, Promise<Storage>>();

afterEach(async () => {
  for (const reader of readers.values()) await (await reader).close();
  readers.clear();
});

async function statusOf(file: string, triggerUUID: string) {
  if (!readers.has(file)) readers.set(file, storeOf(file));
  return (await readers.get(file)!).triggers.findTrigger('acme', triggerUUID);
}

/** A line a server process logs about a trigger (the log level of these tests is `info`). */
function logLine(triggerUUID: string, msg: string): RegExp {
  return new RegExp(`"triggerUUID":"${triggerUUID}"[^\\n]*"msg":"${msg}"`);
}

const finishedStates = new Set(['succeeded', 'failed', 'timed_out']);

/**
 * Processes sharing the store of the configuration in `file`: a trigger has finished once one of them has logged
 * so, or when the store says so already (a process killed between the write and its log line).
 */
function runner(file: string, url: string, ...processes: ServerProcess[]): Runner {
  return {
    url,
    finished: async (_orgId, triggerUUID) => {
      const logged = processes.map((child) => child.waitFor(logLine(triggerUUID, 'trigger finished')));
      const stored = statusOf(file, triggerUUID).then((trigger) => {
        if (!finishedStates.has(trigger?.status ?? '')) throw new Error(`${triggerUUID} has not finished yet`);
      });
      await Promise.any([stored, ...logged]);
    },
  };
}

test('kill -9 during a running trigger loses nothing: after a restart every trigger finishes', async () => {
  const file = await configFile('killed', (raw) =>
    sqliteOnly(
      raw,
      "the killed process's trigger comes back when its lease (workers.leaseMs, 1 s here) ends; on PostgreSQL when " +
        'its pg-boss heartbeat (10 s at the least) lapses, which postgres-recovery.test.ts tests on virtual time',
    ),
  );
  const first = await start(file);
  // Long enough to be still running when the process is killed, however slow the machine.
  const running = (await execute(first.url, 'acme', 'lonely', first.acme, { triggerParameters: { ms: '3000' } })).json
    .triggerUUID;
  await first.waitFor(logLine(running, 'trigger running'));
  expect((await result(first.url, 'acme', 'lonely', running, first.acme)).json.status).toBe('running');
  const queued = (await execute(first.url, 'acme', 'lonely', first.acme, { triggerParameters: { ms: '0' } })).json
    .triggerUUID;
  const echoed = (await execute(first.url, 'acme', 'echo', first.acme, { triggerParameters: { key: 'value' } })).json
    .triggerUUID;

  first.child.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(await statusOf(file, running)).toMatchObject({ status: 'running', attempts: 1 });
  expect(await statusOf(file, queued)).toMatchObject({ status: 'queued' });

  // The token survives the restart too: it lives in the store.
  const second = await start(file);
  const both = runner(file, second.url, first, second);
  expect((await finalResult(both, 'acme', 'lonely', running, first.acme)).status).toBe(204);
  expect((await finalResult(both, 'acme', 'lonely', queued, first.acme)).status).toBe(204);
  const echo = await finalResult(both, 'acme', 'echo', echoed, first.acme);
  expect(echo.json).toMatchObject({ status: 'succeeded', output: { key: 'value' } });
  expect(await statusOf(file, running)).toMatchObject({ status: 'succeeded', attempts: 2 });
});

test('kill -9 while callbacks are pending loses none: after a restart each is delivered, under the same webhook-id', async () => {
  const receiver = await startReceiver();
  receivers.push(receiver);
  // Until the kill every receiver fails, and one hangs: an attempt is under way when the process dies.
  receiver.answer = (callback) => (callback.path === '/cb/hang' ? 'hang' : { status: 503 });
  const file = await configFile('callbacks-killed', (raw) => {
    raw.callbacks = {
      allow: ['127.0.0.1/32'],
      timeoutMs: 500,
      pollIntervalMs: 50,
      retrySchedule: Array(20).fill('100ms'),
    };
  });
  const first = await start(file);
  const paths = ['/cb/0', '/cb/1', '/cb/2', '/cb/3', '/cb/4', '/cb/hang'];
  const triggers = new Map<string, string>();
  for (const path of paths) {
    const answer = await execute(first.url, 'acme', 'echo', first.acme, {
      triggerParameters: { path },
      callbackUrls: [`${receiver.url}${path}`],
    });
    triggers.set(path, answer.json.triggerUUID);
  }
  const webhookIds = new Map<string, string>();
  for (const path of paths) webhookIds.set(path, (await receiver.waitFor(1, path))[0]!.headers['webhook-id'] as string);

  first.child.kill('SIGKILL');
  await first.exited;
  const store = await storeOf(file);
  try {
    for (const triggerUUID of triggers.values())
      expect(await store.deliveries.findDeliveries(triggerUUID)).toMatchObject([{ status: 'pending' }]);
  } finally {
    await store.close();
  }

  receiver.answer = () => ({ status: 200 });
  const answeredBefore = receiver.received.length;
  const seen = new Map(
    paths.map((path) => [path, receiver.received.filter((callback) => callback.path === path).length]),
  );
  const second = await start(file);
  for (const path of paths) await receiver.waitFor(seen.get(path)! + 1, path);
  const reopened = await storeOf(file);
  try {
    for (const [path, triggerUUID] of triggers) {
      await second.waitFor(logLine(triggerUUID, 'callback delivered'));
      const [delivery] = await reopened.deliveries.findDeliveries(triggerUUID);
      expect(delivery).toMatchObject({ status: 'delivered', webhookId: webhookIds.get(path) });
      expect(delivery!.history.at(-1)).toMatchObject({ statusCode: 200 });
    }
  } finally {
    await reopened.close();
  }
  // Every callback, before and after the kill, carried its trigger's one webhook-id.
  for (const callback of receiver.received) {
    const path = callback.path;
    expect(callback.headers['webhook-id']).toBe(webhookIds.get(path));
    expect(JSON.parse(callback.body).data.triggerUUID).toBe(triggers.get(path));
  }
  expect(receiver.received.length).toBeGreaterThan(answeredBefore);

  // The attempts can be read back from the command line.
  second.child.kill('SIGTERM');
  await second.exited;
  const listed = await startProcess('main.js', ['deliveries', triggers.get('/cb/0')!, '--config', file], testEnv);
  expect((await listed.exited).code).toBe(0);
  const [delivery] = JSON.parse(listed.output());
  expect(delivery).toMatchObject({
    url: `${receiver.url}/cb/0`,
    status: 'delivered',
    webhookId: webhookIds.get('/cb/0'),
    createdAt: expect.stringMatching(/Z$/),
  });
  expect(delivery.history[0]).toMatchObject({
    attempt: 1,
    statusCode: 503,
    error: 'answered 503',
    startedAt: expect.stringMatching(/Z$/),
  });
  expect(delivery.history.at(-1)).toMatchObject({ statusCode: 200 });
}, 60_000);

test('SIGTERM stops taking requests, gives running triggers back, closes the store and exits 0', async () => {
  const file = await configFile('terminated', (raw) => {
    raw.server.shutdownGraceMs = 0;
  });
  const first = await start(file);
  const running = (await execute(first.url, 'acme', 'nap', first.acme, { triggerParameters: { ms: '1500' } })).json
    .triggerUUID;
  await first.waitFor(logLine(running, 'trigger running'));
  expect((await result(first.url, 'acme', 'nap', running, first.acme)).json.status).toBe('running');

  first.child.kill('SIGTERM');
  expect(await first.exited).toEqual({ code: 0, signal: null });
  expect(first.output()).toContain('"msg":"running triggers given back to the queue"');
  expect(first.output()).toContain('"msg":"stopped"');
  expect(await statusOf(file, running)).toMatchObject({ status: 'queued', attempts: 0 });

  const second = await start(file);
  expect((await finalResult(runner(file, second.url, second), 'acme', 'nap', running, second.acme)).status).toBe(204);
});

test('module services in JavaScript (ESM and CommonJS) and TypeScript run', async () => {
  const file = await configFile('modules', (raw) => {
    Object.assign(raw.organisations.acme.services, {
      greet: { kind: 'module', module: join(fixtures, 'greeting-service.ts') },
      sum: { kind: 'module', module: join(fixtures, 'sum-service.cjs'), requiredParameters: ['a', 'b'] },
    });
  });
  const server = await start(file);

  const greeted = (await execute(server.url, 'acme', 'greet', server.acme, { triggerParameters: { name: 'Ada' } })).json
    .triggerUUID;
  expect(
    (await finalResult(runner(file, server.url, server), 'acme', 'greet', greeted, server.acme)).json,
  ).toMatchObject({
    status: 'succeeded',
    output: { greeting: 'Hello, Ada', triggerUUID: greeted },
  });
  const refused = await execute(server.url, 'acme', 'greet', server.acme, { triggerParameters: { name: '' } });
  expect(refused.status).toBe(422);
  expect(refused.json.errors).toEqual([
    { scope: 'body.triggerParameters.name', reason: 'Unprocessable Entity', message: 'name must not be empty' },
  ]);

  const summed = (await execute(server.url, 'acme', 'sum', server.acme, { triggerParameters: { a: '2', b: '3' } })).json
    .triggerUUID;
  expect((await finalResult(runner(file, server.url, server), 'acme', 'sum', summed, server.acme)).json.output).toEqual(
    { sum: 5 },
  );
});

test('two processes sharing one store run every trigger once, within the service concurrency', async () => {
  const log = join(scratch(), 'shared-runs.log');
  await writeFile(log, '');
  const file = await configFile('shared', (raw) => {
    raw.organisations.acme.services.append = {
      kind: 'module',
      module: join(fixtures, 'append-service.mjs'),
      concurrency: 2,
    };
  });
  const env = { APPEND_SERVICE_LOG: log };
  const servers = await Promise.all([start(file, env), start(file, env)]);
  const triggerUUIDs = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const server = servers[i % 2]!;
      return (await execute(server.url, 'acme', 'append', server.acme, {})).json.triggerUUID as string;
    }),
  );
  const either = runner(file, servers[0]!.url, ...servers);
  for (const triggerUUID of triggerUUIDs) {
    expect((await finalResult(either, 'acme', 'append', triggerUUID, servers[0]!.acme)).status).toBe(204);
  }

  const lines = (await readFile(log, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  const starts = lines.filter(([event]) => event === 'start').map(([, triggerUUID]) => triggerUUID);
  expect(starts.sort()).toEqual([...triggerUUIDs].sort());
  let open = 0;
  let mostAtOnce = 0;
  for (const [event] of lines) {
    open += event === 'start' ? 1 : -1;
    mostAtOnce = Math.max(mostAtOnce, open);
  }
  expect(mostAtOnce).toBeLessThanOrEqual(2);
});
