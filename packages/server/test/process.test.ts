import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { SqliteStorage } from '../src';
import { verifyClientSecret } from '../src/auth/secret-hash';
import { callbackSecretKey } from '../src/callbacks/callback-secret';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { execute, finalResult, result, tokenFor, type Caller, type Runner } from './support/api-client';
import { removeBuiltServer, startProcess, startServerProcess, type ServerProcess } from './support/server-process';
import { rawTestConfig, secrets, testEnv, type RawConfig } from './support/test-config';

const fixtures = join(__dirname, 'fixtures');
let dir: string;
const children: ServerProcess[] = [];
const receivers: CallbackReceiver[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-process-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await child.exited;
  }
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeBuiltServer();
});

async function configFile(name: string, adjust: (raw: RawConfig) => void = () => undefined): Promise<string> {
  const raw = rawTestConfig(join(dir, name));
  raw.server.logLevel = 'info';
  raw.server.shutdownGraceMs = 200;
  adjust(raw);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, stringify(raw));
  return file;
}

async function start(file: string, env: NodeJS.ProcessEnv = {}) {
  const started = await startServerProcess(file, { ...testEnv, ...env });
  children.push(started);
  const acme: Caller = { token: await tokenFor(started.url, 'acme-client', secrets.acmeClient), apiKey: secrets.acmeKey };
  return { ...started, acme };
}

async function statusOf(file: string, triggerUUID: string) {
  const store = new SqliteStorage({ file });
  try {
    return await store.triggers.findTrigger('acme', triggerUUID);
  } finally {
    await store.close();
  }
}

/** A line a server process logs about a trigger (the log level of these tests is `info`). */
function logLine(triggerUUID: string, msg: string): RegExp {
  return new RegExp(`"triggerUUID":"${triggerUUID}"[^\\n]*"msg":"${msg}"`);
}

/** Processes sharing a store: a trigger has finished once one of them has logged so. */
function runner(url: string, ...processes: ServerProcess[]): Runner {
  return {
    url,
    finished: async (_orgId, triggerUUID) => {
      await Promise.any(processes.map((child) => child.waitFor(logLine(triggerUUID, 'trigger finished'))));
    },
  };
}

test('kill -9 during a running trigger loses nothing: after a restart every trigger finishes', async () => {
  const file = await configFile('killed');
  const database = join(dir, 'killed', 'autofacilitate.sqlite');
  const first = await start(file);
  // Long enough to be still running when the process is killed, however slow the machine.
  const running = (await execute(first.url, 'acme', 'lonely', first.acme, { triggerParameters: { ms: '3000' } })).json.triggerUUID;
  await first.waitFor(logLine(running, 'trigger running'));
  expect((await result(first.url, 'acme', 'lonely', running, first.acme)).json.status).toBe('running');
  const queued = (await execute(first.url, 'acme', 'lonely', first.acme, { triggerParameters: { ms: '0' } })).json.triggerUUID;
  const echoed = (await execute(first.url, 'acme', 'echo', first.acme, { triggerParameters: { key: 'value' } })).json.triggerUUID;

  first.child.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(await statusOf(database, running)).toMatchObject({ status: 'running', attempts: 1 });
  expect(await statusOf(database, queued)).toMatchObject({ status: 'queued' });

  // The token survives the restart too: it lives in the store.
  const second = await start(file);
  const both = runner(second.url, first, second);
  expect((await finalResult(both, 'acme', 'lonely', running, first.acme)).status).toBe(204);
  expect((await finalResult(both, 'acme', 'lonely', queued, first.acme)).status).toBe(204);
  const echo = await finalResult(both, 'acme', 'echo', echoed, first.acme);
  expect(echo.json).toMatchObject({ status: 'succeeded', output: { key: 'value' } });
  expect(await statusOf(database, running)).toMatchObject({ status: 'succeeded', attempts: 2 });
});

test('kill -9 while callbacks are pending loses none: after a restart each is delivered, under the same webhook-id', async () => {
  const receiver = await startReceiver();
  receivers.push(receiver);
  // Until the kill every receiver fails, and one hangs: an attempt is under way when the process dies.
  receiver.answer = (callback) => (callback.path === '/cb/hang' ? 'hang' : { status: 503 });
  const file = await configFile('callbacks-killed', (raw) => {
    raw.callbacks = { allow: ['127.0.0.1/32'], timeoutMs: 500, pollIntervalMs: 50, retrySchedule: Array(20).fill('100ms') };
  });
  const database = join(dir, 'callbacks-killed', 'autofacilitate.sqlite');
  const first = await start(file);
  const paths = ['/cb/0', '/cb/1', '/cb/2', '/cb/3', '/cb/4', '/cb/hang'];
  const triggers = new Map<string, string>();
  for (const path of paths) {
    const answer = await execute(first.url, 'acme', 'echo', first.acme, { triggerParameters: { path }, callbackUrls: [`${receiver.url}${path}`] });
    triggers.set(path, answer.json.triggerUUID);
  }
  const webhookIds = new Map<string, string>();
  for (const path of paths) webhookIds.set(path, (await receiver.waitFor(1, path))[0]!.headers['webhook-id'] as string);

  first.child.kill('SIGKILL');
  await first.exited;
  const store = new SqliteStorage({ file: database });
  try {
    for (const triggerUUID of triggers.values()) expect(await store.deliveries.findDeliveries(triggerUUID)).toMatchObject([{ status: 'pending' }]);
  } finally {
    await store.close();
  }

  receiver.answer = () => ({ status: 200 });
  const answeredBefore = receiver.received.length;
  const seen = new Map(paths.map((path) => [path, receiver.received.filter((callback) => callback.path === path).length]));
  const second = await start(file);
  for (const path of paths) await receiver.waitFor(seen.get(path)! + 1, path);
  const reopened = new SqliteStorage({ file: database });
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
  expect(delivery).toMatchObject({ url: `${receiver.url}/cb/0`, status: 'delivered', webhookId: webhookIds.get('/cb/0'), createdAt: expect.stringMatching(/Z$/) });
  expect(delivery.history[0]).toMatchObject({ attempt: 1, statusCode: 503, error: 'answered 503', startedAt: expect.stringMatching(/Z$/) });
  expect(delivery.history.at(-1)).toMatchObject({ statusCode: 200 });
}, 60_000);

test('SIGTERM stops taking requests, gives running triggers back, closes the store and exits 0', async () => {
  const file = await configFile('terminated', (raw) => {
    raw.server.shutdownGraceMs = 0;
  });
  const database = join(dir, 'terminated', 'autofacilitate.sqlite');
  const first = await start(file);
  const running = (await execute(first.url, 'acme', 'nap', first.acme, { triggerParameters: { ms: '1500' } })).json.triggerUUID;
  await first.waitFor(logLine(running, 'trigger running'));
  expect((await result(first.url, 'acme', 'nap', running, first.acme)).json.status).toBe('running');

  first.child.kill('SIGTERM');
  expect(await first.exited).toEqual({ code: 0, signal: null });
  expect(first.output()).toContain('"msg":"running triggers given back to the queue"');
  expect(first.output()).toContain('"msg":"stopped"');
  expect(await statusOf(database, running)).toMatchObject({ status: 'queued', attempts: 0 });

  const second = await start(file);
  expect((await finalResult(runner(second.url, second), 'acme', 'nap', running, second.acme)).status).toBe(204);
});

test('module services in JavaScript (ESM and CommonJS) and TypeScript run', async () => {
  const file = await configFile('modules', (raw) => {
    Object.assign(raw.organisations.acme.services, {
      greet: { kind: 'module', module: join(fixtures, 'greeting-service.ts') },
      sum: { kind: 'module', module: join(fixtures, 'sum-service.cjs'), requiredParameters: ['a', 'b'] },
    });
  });
  const server = await start(file);

  const greeted = (await execute(server.url, 'acme', 'greet', server.acme, { triggerParameters: { name: 'Ada' } })).json.triggerUUID;
  expect((await finalResult(runner(server.url, server), 'acme', 'greet', greeted, server.acme)).json).toMatchObject({
    status: 'succeeded',
    output: { greeting: 'Hello, Ada', triggerUUID: greeted },
  });
  const refused = await execute(server.url, 'acme', 'greet', server.acme, { triggerParameters: { name: '' } });
  expect(refused.status).toBe(422);
  expect(refused.json.errors).toEqual([{ scope: 'body.triggerParameters.name', reason: 'Unprocessable Entity', message: 'name must not be empty' }]);

  const summed = (await execute(server.url, 'acme', 'sum', server.acme, { triggerParameters: { a: '2', b: '3' } })).json.triggerUUID;
  expect((await finalResult(runner(server.url, server), 'acme', 'sum', summed, server.acme)).json.output).toEqual({ sum: 5 });
});

test('two processes sharing one store run every trigger once, within the service concurrency', async () => {
  const log = join(dir, 'shared-runs.log');
  await writeFile(log, '');
  const file = await configFile('shared', (raw) => {
    raw.organisations.acme.services.append = { kind: 'module', module: join(fixtures, 'append-service.mjs'), concurrency: 2 };
  });
  const env = { APPEND_SERVICE_LOG: log };
  const servers = await Promise.all([start(file, env), start(file, env)]);
  const triggerUUIDs = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const server = servers[i % 2]!;
      return (await execute(server.url, 'acme', 'append', server.acme, {})).json.triggerUUID as string;
    }),
  );
  const either = runner(servers[0]!.url, ...servers);
  for (const triggerUUID of triggerUUIDs) {
    expect((await finalResult(either, 'acme', 'append', triggerUUID, servers[0]!.acme)).status).toBe(204);
  }

  const lines = (await readFile(log, 'utf8')).trim().split('\n').map((line) => line.split(' '));
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

describe('start-up refuses what it cannot run, with a message and exit code 1', () => {
  test('a bad configuration file names the key and why', async () => {
    const file = await configFile('bad', (raw) => {
      raw.organisations.acme.services.echo.concurrency = 0;
      raw.organisations.acme.services.echo.colour = 'blue';
    });
    const child = await startProcess('main.js', ['--config', file], testEnv);
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe(
      `Configuration error: ${file}:\n  organisations.acme.services.echo.colour: unknown key\n  organisations.acme.services.echo.concurrency: must be >= 1\n`,
    );
  });

  test('a missing secret names the environment variable that would give it', async () => {
    const file = await configFile('no-secret');
    const child = await startProcess('main.js', ['--config', file], { AUTOFACILITATE_API_KEY_ACME_MAIN: 'k', AUTOFACILITATE_API_KEY_GLOBEX_MAIN: 'k2', AUTOFACILITATE_CLIENT_SECRET_GLOBEX_CLIENT: 's' });
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toContain('organisations.acme.clients.acme-client.secretHash: missing (or set the environment variable AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT)');
  });

  test('a module without run()', async () => {
    const file = await configFile('no-run', (raw) => {
      raw.organisations.acme.services.broken = { kind: 'module', module: join(fixtures, 'no-run.mjs') };
    });
    const child = await startProcess('main.js', ['--config', file], testEnv);
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe(
      `Configuration error: organisations.acme.services.broken: ${join(fixtures, 'no-run.mjs')} does not export a function run(triggerParameters, context)\n`,
    );
  });

  test('a configuration file that is not there', async () => {
    const child = await startProcess('main.js', ['--config', join(dir, 'nowhere.yaml')], {});
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe(`Configuration error: ${join(dir, 'nowhere.yaml')}: cannot be read (ENOENT)\n`);
  });
});

describe('the other commands', () => {
  test('hash-secret hashes the secret given on standard input', async () => {
    const child = await startProcess('main.js', ['hash-secret'], {}, 'my client secret\n');
    expect((await child.exited).code).toBe(0);
    const hash = child.output().trim();
    expect(await verifyClientSecret('my client secret', hash)).toBe(true);
  });

  test('new-api-key prints a key and the hash the configuration takes', async () => {
    const child = await startProcess('main.js', ['new-api-key'], {});
    expect((await child.exited).code).toBe(0);
    const [, key, hash] = /API key \(give it to the caller\): (\S+)\nhash \(put it in the configuration\): (\S+)/.exec(child.output())!;
    const file = await configFile('new-key', (raw) => {
      raw.organisations.acme.apiKeys.main = { hash };
    });
    const server = await start(file, { AUTOFACILITATE_API_KEY_ACME_MAIN: '' });
    const answer = await execute(server.url, 'acme', 'echo', { token: server.acme.token!, apiKey: key! }, {});
    expect(answer.status).toBe(200);
  });

  test('new-callback-secret prints a whsec_ secret the configuration takes', async () => {
    const child = await startProcess('main.js', ['new-callback-secret'], {});
    expect((await child.exited).code).toBe(0);
    expect(callbackSecretKey(child.output().trim())?.length).toBe(32);
  });

  test('deliveries names a trigger without callbacks', async () => {
    const file = await configFile('no-deliveries');
    const child = await startProcess('main.js', ['deliveries', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', '--config', file], testEnv);
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe('No callback deliveries for the trigger 0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d\n');
  });

  test('usage prints the counters of the store', async () => {
    const file = await configFile('usage');
    const server = await start(file);
    await execute(server.url, 'acme', 'echo', server.acme, {});
    server.child.kill('SIGTERM');
    await server.exited;
    const child = await startProcess('main.js', ['usage', '--config', file], testEnv);
    expect((await child.exited).code).toBe(0);
    expect(JSON.parse(child.output())).toEqual([
      { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 1, lastUsedAt: expect.any(Number) },
    ]);
  });

  test('an unknown command shows the usage', async () => {
    const child = await startProcess('main.js', ['frobnicate'], {});
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toContain('Unknown command: frobnicate');
    expect(child.output()).toContain('Usage: autofacilitate-server');
  });
});

test('the demo prints curl commands that work as printed: token, execute echo, result', async () => {
  const data = join(dir, 'demo-data');
  const demo = await startProcess('demo.js', ['--port', '0', '--data', data], {});
  children.push(demo);
  await demo.waitFor(/Stop it with Ctrl-C\./);
  const printed = demo.output();
  expect(printed).toMatch(/client id: +demo-client/);
  const commands = printed.split('\n').filter((line) => /^(TOKEN=|TRIGGER=|curl )/.test(line));
  expect(commands).toHaveLength(3);

  const run = promisify(execFile);
  const script = `set -e\n${commands.join('\n')}\n`;
  let { stdout } = await run('bash', ['-c', script]);
  // echo finishes within a moment of execute; should the result be asked for sooner, a person
  // would paste the commands again, and so does the test.
  for (let attempt = 0; /"status":"(queued|running)"/.test(stdout) && attempt < 50; attempt++) {
    ({ stdout } = await run('bash', ['-c', script]));
  }
  expect(JSON.parse(stdout)).toMatchObject({ vsn: 'echo', status: 'succeeded', output: { greeting: 'hello' } });

  // The secrets stay the same from one start to the next.
  const credentials = JSON.parse(await readFile(join(data, 'demo-credentials.json'), 'utf8'));
  expect(printed).toContain(credentials.clientSecret);
  expect(printed).toContain(credentials.apiKey);
  expect(printed).toContain(`callbacks:    signed with ${credentials.callbackSecret}`);
  expect(callbackSecretKey(credentials.callbackSecret)).toHaveLength(32);

  demo.child.kill('SIGTERM');
  expect(await demo.exited).toEqual({ code: 0, signal: null });
});
