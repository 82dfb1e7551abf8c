import { Pool } from 'pg';
import { call, execute, executeUrl, result } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { usePostgresCluster } from './support/postgres-cluster';
import { processServers } from './support/process-servers';
import { startProcess, startServerProcess } from './support/server-process';
import { testEnv, type RawConfig } from './support/test-config';
import { sqliteOnly } from './support/test-storage';

// `serve --role api|worker|all` in real processes: what each role takes on, how each drains on
// SIGTERM, and what the CLI refuses. Workers poll once a minute here, so a trigger that runs at
// once was woken by the API process's NOTIFY.

const cluster = usePostgresCluster();
const { configFile, start, track } = processServers();
let receiver: CallbackReceiver;

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(() => receiver.close());

/** A configuration on a fresh PostgreSQL database whose workers and deliverers poll once a minute. */
async function onPostgres(name: string, adjust: (raw: RawConfig) => void = () => undefined) {
  const url = await cluster.createDatabase();
  const file = await configFile(name, (raw) => {
    raw.storage = { postgres: { url, poolSize: 4 } };
    raw.workers.pollIntervalMs = 60_000;
    raw.callbacks = { ...raw.callbacks, pollIntervalMs: 60_000, allow: ['127.0.0.1/32'] };
    adjust(raw);
  });
  return { url, file };
}

async function startWorker(file: string) {
  const worker = await startServerProcess(file, testEnv, ['serve', '--role', 'worker']);
  track(worker);
  return worker;
}

/** A line a server process logs about a trigger (the log level of these tests is `info`). */
function logLine(triggerUUID: string, msg: string): RegExp {
  return new RegExp(`"triggerUUID":"${triggerUUID}"[^\\n]*"msg":"${msg}"`);
}

async function statusOf(url: string, triggerUUID: string): Promise<string> {
  const pool = new Pool({ connectionString: url });
  try {
    const { rows } = await pool.query<{ status: string }>('SELECT status FROM triggers WHERE trigger_uuid = $1', [
      triggerUUID,
    ]);
    return rows[0]!.status;
  } finally {
    await pool.end();
  }
}

test('an API process takes the trigger; a worker process, woken at once, runs it and delivers its callback', async () => {
  const { file } = await onPostgres('split');
  const worker = await startWorker(file);
  const api = await start(file, {}, ['serve', '--role', 'api']);
  await api.waitFor(/"role":"api"[^\n]*"msg":"serving"/);
  await worker.waitFor(/"role":"worker"[^\n]*"msg":"serving"/);

  const answer = await execute(api.url, 'acme', 'echo', api.acme, {
    triggerParameters: { key: 'value' },
    callbackUrls: [`${receiver.url}/cb`],
  });
  expect(answer.status).toBe(200);
  const triggerUUID = answer.json.triggerUUID as string;
  const [callback] = await receiver.waitFor(1);
  expect(JSON.parse(callback!.body)).toMatchObject({
    type: 'trigger.finished',
    data: { triggerUUID, status: 'succeeded' },
  });
  // The log line may come through the pipe after the callback through the network.
  await worker.waitFor(logLine(triggerUUID, 'trigger finished'));
  expect(api.output()).not.toMatch(logLine(triggerUUID, 'trigger running'));
  const read = await result(api.url, 'acme', 'echo', triggerUUID, api.acme);
  expect(read.json).toMatchObject({ triggerUUID, status: 'succeeded', output: { key: 'value' } });
});

test('a worker process answers its probes alone: every API operation is a 404 that says where it goes', async () => {
  const { file } = await onPostgres('probes');
  const worker = await startWorker(file);
  const health = await call(`${worker.url}/healthz`);
  expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });
  const metrics = await call(`${worker.url}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.text).toContain('autofacilitate_queue_depth');

  const path = new URL(executeUrl(worker.url, 'acme', 'echo')).pathname;
  const refused = await call(`${worker.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: '<root/>',
  });
  expect(refused.status).toBe(404);
  expect(refused.json).toEqual({
    code: '404',
    message: 'Not found',
    errors: [
      {
        scope: 'path',
        reason: 'Not found',
        message: `This is a worker process (--role worker): it answers GET /healthz and GET /metrics only; send POST ${path} to an API process`,
      },
    ],
  });
  const token = await call(`${worker.url}/tokenservice/oauth2/access_token`, { method: 'POST' });
  expect(token.status).toBe(404);
  expect((await call(`${worker.url}/console/`)).status).toBe(404);
});

test('SIGTERM drains a worker process: its cut-short trigger is given back, and another worker takes it at once', async () => {
  const { file } = await onPostgres('worker-drain');
  const first = await startWorker(file);
  const api = await start(file, {}, ['serve', '--role', 'api']);
  const running = (await execute(api.url, 'acme', 'lonely', api.acme, { triggerParameters: { ms: '60000' } })).json
    .triggerUUID as string;
  await first.waitFor(logLine(running, 'trigger running'));
  const second = await startWorker(file);

  first.child.kill('SIGTERM');
  expect(await first.exited).toEqual({ code: 0, signal: null });
  expect(first.output()).toMatch(/"released":1[^\n]*"msg":"running triggers given back to the queue"/);
  expect(first.output()).toMatch(/"msg":"stopped"/);
  // The second worker claimed everything there was when it started; the release's NOTIFY wakes it.
  await second.waitFor(logLine(running, 'trigger running'));
  expect((await result(api.url, 'acme', 'lonely', running, api.acme)).json).toMatchObject({ status: 'running' });
});

test('SIGTERM drains an API process: it stops, and the triggers it took stay queued for the workers', async () => {
  const { url, file } = await onPostgres('api-drain');
  const api = await start(file, {}, ['serve', '--role', 'api']);
  const queued = (await execute(api.url, 'acme', 'echo', api.acme, { triggerParameters: {} })).json
    .triggerUUID as string;
  api.child.kill('SIGTERM');
  expect(await api.exited).toEqual({ code: 0, signal: null });
  expect(api.output()).toMatch(/"msg":"stopped"/);
  expect(api.output()).not.toMatch(/running triggers given back/);
  expect(await statusOf(url, queued)).toBe('queued');

  const worker = await startWorker(file);
  await worker.waitFor(logLine(queued, 'trigger finished'));
});

describe('the CLI', () => {
  async function refusal(args: string[]): Promise<string> {
    const child = await startProcess('main.js', args, testEnv);
    track(child);
    expect(await child.exited).toEqual({ code: 1, signal: null });
    return child.output();
  }

  test('an unknown role is refused with the roles there are', async () => {
    const file = await configFile('unknown-role');
    expect(await refusal(['serve', '--role', 'boss', '--config', file])).toBe(
      'Unknown role: boss (--role takes api, worker, all)\n',
    );
  });

  test('--role goes with serve (and start) only', async () => {
    const file = await configFile('role-elsewhere');
    expect(await refusal(['migrate', '--role', 'api', '--config', file])).toMatch(/^--role goes with serve\n/);
  });

  test.each([
    ['serve', 'worker'],
    ['start', 'api'],
  ])('%s --role %s on SQLite is refused, saying why', async (command, role) => {
    const file = await configFile(`sqlite-${role}`, (raw) => sqliteOnly(raw, "its subject is SQLite's refusal"));
    expect(await refusal([command, '--role', role, '--config', file])).toBe(
      `The ${role} role needs PostgreSQL (storage.postgres.url or AUTOFACILITATE_POSTGRES_URL). ` +
        'The SQLite store is one file on one machine: processes on other machines cannot share it safely ' +
        '(its write-ahead log needs memory shared on one machine; over a network file system the file is ' +
        'corrupted), so API and worker processes cannot be scaled apart on it. Run --role all (the default); ' +
        'processes on the same machine may share the file.\n',
    );
  });

  test('serve --role all runs on SQLite as start does, and --help names serve and its roles', async () => {
    const file = await configFile('sqlite-all', (raw) => sqliteOnly(raw, 'its subject is --role all on SQLite'));
    const server = await start(file, {}, ['serve', '--role', 'all']);
    await server.waitFor(/"role":"all"[^\n]*"msg":"serving"/);
    const answer = await execute(server.url, 'acme', 'echo', server.acme, { triggerParameters: {} });
    await server.waitFor(logLine(answer.json.triggerUUID, 'trigger finished'));

    const help = await startProcess('main.js', ['--help'], {});
    track(help);
    expect(await help.exited).toEqual({ code: 0, signal: null });
    expect(help.output()).toContain('serve [--role <role>]');
    expect(help.output()).toContain('--role worker: run triggers and deliver callbacks');
  });
});
