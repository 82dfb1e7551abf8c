// `nx run server:bench`: execute (authentication, validation from the spec, the durable write of
// the trigger and its job) measured with autocannon beside a bare Fastify server that does one
// SQLite insert per request, in the same run, on the same machine; then the time from execute to
// the result of an echo trigger; then callbacks: deliveries per second to a receiver on
// 127.0.0.1, and the time from execute to the callback received. Prints the figures, the ratios
// and the targets.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const latencySamples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 1000);
const callbackCount = Number(process.env.BENCH_CALLBACKS ?? 5000);
const callbackSecret = `whsec_${randomBytes(32).toString('base64')}`;
const secrets = {
  AUTOFACILITATE_CLIENT_SECRET_BENCH_CLIENT: 'bench-client-secret',
  AUTOFACILITATE_API_KEY_BENCH_MAIN: 'bench-api-key-0123456789',
};
const body = JSON.stringify({
  triggerParameters: { key: 'value', customerId: '42' },
  callbackUrls: ['https://mycompany.com/callbacks/id=123'],
});

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function start(command, args, env, ready) {
  const child = spawn(process.execPath, [command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  for (let attempt = 0; attempt < 200 && !(await ready(output)); attempt++) await sleep(50);
  // From here on its output (log lines, when the run logs at info) is read and dropped.
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

// Callbacks stay in the store unless a run delivers them, to the receiver on 127.0.0.1 only.
async function startServer(dir, name, { workers, logLevel, callbacks = false, synchronous = 'FULL' }) {
  const port = await freePort();
  const config = join(dir, `${name}.yaml`);
  await writeFile(
    config,
    [
      `server: { host: 127.0.0.1, port: ${port}, logLevel: ${logLevel} }`,
      `storage: { sqlite: { file: ${join(dir, `${name}.sqlite`)}, synchronous: ${synchronous} } }`,
      `workers: { enabled: ${workers} }`,
      // One client makes all the load: neither its rate nor its queue may limit it.
      'limits: { executeRate: { perSecond: 1000000000, burst: 1000000000 }, queuedTriggers: 1000000000 }',
      `callbacks: { enabled: ${callbacks}, concurrency: 64, allow: [127.0.0.1/32] }`,
      'organisations:',
      '  bench:',
      '    clients: { bench-client: {} }',
      '    apiKeys: { main: {} }',
      `    callbackSecrets: [${callbackSecret}]`,
      '    services:',
      '      echo: { kind: echo, concurrency: 16, requiredParameters: [customerId] }',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  const server = await start(join(here, '..', 'dist', 'main.js'), ['--config', config], secrets, async () => {
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  const answer = await fetch(`${url}/tokenservice/oauth2/access_token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`bench-client:${secrets.AUTOFACILITATE_CLIENT_SECRET_BENCH_CLIENT}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = await answer.json();
  const headers = {
    authorization: `Bearer ${token}`,
    'x-api-key': secrets.AUTOFACILITATE_API_KEY_BENCH_MAIN,
    'content-type': 'application/json',
  };
  return { ...server, url, headers, executeUrl: `${url}/via/v2/organizations/bench/autoFacilitate/execute/echo` };
}

async function startBare(dir) {
  const port = await freePort();
  const bare = await start(
    join(here, 'bare-server.mjs'),
    [String(port), join(dir, 'bare.sqlite')],
    {},
    async (output) => output.includes('ready'),
  );
  return { ...bare, executeUrl: `http://127.0.0.1:${port}/execute`, headers: { 'content-type': 'application/json' } };
}

async function load(target, connections, seconds = duration, sent = body) {
  const result = await autocannon({
    url: target.executeUrl,
    method: 'POST',
    headers: target.headers,
    body: sent,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function executeToResult(server, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const executed = await fetch(server.executeUrl, { method: 'POST', headers: server.headers, body });
    const { triggerUUID } = await executed.json();
    const resultUrl = `${server.url}/via/v2/organizations/bench/autoFacilitate/result/echo/triggerUUID/${triggerUUID}`;
    for (;;) {
      const answer = await fetch(resultUrl, { headers: server.headers });
      await answer.arrayBuffer();
      if (answer.status === 200) break;
      if (answer.status !== 202) throw new Error(`result answered ${answer.status}`);
    }
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** A callback receiver on 127.0.0.1: answers 204, notes when each trigger's callback came. */
async function startReceiver() {
  const arrivals = [];
  const waiting = new Map();
  // A callback may come before its execute's answer has been read.
  const early = new Map();
  const server = createHttpServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      const at = performance.now();
      arrivals.push(at);
      const { triggerUUID } = JSON.parse(Buffer.concat(chunks).toString()).data;
      const waiter = waiting.get(triggerUUID);
      waiting.delete(triggerUUID);
      if (waiter) waiter(at);
      else early.set(triggerUUID, at);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/callbacks`,
    arrivals,
    /** Resolves with the time the callback of `triggerUUID` arrives. */
    callbackOf: (triggerUUID) =>
      new Promise((resolve) => {
        const at = early.get(triggerUUID);
        early.delete(triggerUUID);
        if (at === undefined) waiting.set(triggerUUID, resolve);
        else resolve(at);
      }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function until(check) {
  for (let attempt = 0; attempt < 6000 && !(await check()); attempt++) await sleep(50);
}

async function pendingCallbacks(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^autofacilitate_queue_depth\{queue="callbacks"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

/**
 * Deliveries per second: a server that delivers no callbacks runs `count` triggers, each with a
 * callback to the receiver, and stops; a server on the same database then delivers them all,
 * timed from the first callback received to the last.
 */
async function deliveryRate(dir, receiver, count) {
  const queueing = await startServer(dir, 'callbacks', { workers: true, logLevel: 'warn' });
  const sent = JSON.stringify({ triggerParameters: { customerId: '42' }, callbackUrls: [receiver.url] });
  const result = await autocannon({
    url: queueing.executeUrl,
    method: 'POST',
    headers: queueing.headers,
    body: sent,
    connections: 50,
    amount: count,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  await until(async () => (await pendingCallbacks(queueing)) === count);
  await queueing.stop();
  const from = receiver.arrivals.length;
  const delivering = await startServer(dir, 'callbacks', { workers: true, logLevel: 'warn', callbacks: true });
  await until(async () => receiver.arrivals.length - from >= count);
  await delivering.stop();
  const arrivals = receiver.arrivals.slice(from);
  return { count: arrivals.length, perSecond: ((arrivals.length - 1) / (arrivals.at(-1) - arrivals[0])) * 1000 };
}

/** Execute → callback received, one client, one trigger at a time. */
async function executeToCallback(server, receiver, count) {
  const samples = [];
  const sent = JSON.stringify({ triggerParameters: { customerId: '42' }, callbackUrls: [receiver.url] });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const executed = await fetch(server.executeUrl, { method: 'POST', headers: server.headers, body: sent });
    const { triggerUUID } = await executed.json();
    samples.push((await receiver.callbackOf(triggerUUID)) - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const ms = (value) => `${value.toFixed(1)} ms`;
const row = (cells) => `| ${cells.join(' | ')} |`;

const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-bench-'));
const lines = [];
try {
  process.stdout.write(
    `Bench: ${duration} s per run, after a ${Math.min(3, duration)} s warm-up; Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; databases in ${tmpdir()}.\n\n`,
  );
  const measured = {};
  for (const connections of [10, 100]) {
    // Each server runs alone while it is measured; both get a fresh database.
    const bare = await startBare(dir);
    await load(bare, connections, Math.min(3, duration));
    measured[`bare ${connections}`] = await load(bare, connections);
    await bare.stop();
    await rm(join(dir, 'bare.sqlite'), { force: true });

    const api = await startServer(dir, `api-${connections}`, { workers: false, logLevel: 'warn' });
    await load(api, connections, Math.min(3, duration));
    measured[`execute ${connections}`] = await load(api, connections);
    await api.stop();
  }
  // The durability default: FULL syncs every group commit, NORMAL only at checkpoints.
  for (const synchronous of ['NORMAL', 'FULL']) {
    const api = await startServer(dir, `sync-${synchronous}`, { workers: false, logLevel: 'warn', synchronous });
    await load(api, 100, Math.min(3, duration));
    measured[`execute 100, synchronous=${synchronous}`] = await load(api, 100);
    await api.stop();
  }
  const full = await startServer(dir, 'full', { workers: true, logLevel: 'warn' });
  await load(full, 100, Math.min(3, duration));
  measured['execute 100, workers running'] = await load(full, 100);
  await full.stop();
  const logged = await startServer(dir, 'logged', { workers: false, logLevel: 'info' });
  measured['execute 100, info logs'] = await load(logged, 100);
  await logged.stop();

  const quiet = await startServer(dir, 'latency', { workers: true, logLevel: 'warn' });
  await executeToResult(quiet, 100);
  const latency = await executeToResult(quiet, latencySamples);
  await quiet.stop();

  const receiver = await startReceiver();
  const deliveries = await deliveryRate(dir, receiver, callbackCount);
  const calling = await startServer(dir, 'callback-latency', { workers: true, logLevel: 'warn', callbacks: true });
  await executeToCallback(calling, receiver, 100);
  const callbackLatency = await executeToCallback(calling, receiver, latencySamples);
  await calling.stop();
  await receiver.close();

  lines.push(
    row(['run', 'connections', 'req/s', 'p50', 'p99', 'ratio to bare']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const connections of [10, 100]) {
    const bare = measured[`bare ${connections}`];
    const execute = measured[`execute ${connections}`];
    lines.push(
      row(['bare Fastify + 1 SQLite insert', connections, bare.rps.toFixed(0), ms(bare.p50), ms(bare.p99), '1.00']),
    );
    lines.push(
      row([
        'execute (API process)',
        connections,
        execute.rps.toFixed(0),
        ms(execute.p50),
        ms(execute.p99),
        (execute.rps / bare.rps).toFixed(2),
      ]),
    );
  }
  for (const name of [
    'execute 100, synchronous=NORMAL',
    'execute 100, synchronous=FULL',
    'execute 100, workers running',
    'execute 100, info logs',
  ]) {
    const figures = measured[name];
    lines.push(
      row([
        name.replace(' 100,', ','),
        100,
        figures.rps.toFixed(0),
        ms(figures.p50),
        ms(figures.p99),
        (figures.rps / measured['bare 100'].rps).toFixed(2),
      ]),
    );
  }
  lines.push(
    '',
    `execute → result of echo (one client, ${latencySamples} triggers): p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`,
  );
  lines.push(
    `callbacks delivered to a receiver on 127.0.0.1 (${deliveries.count}, 64 at once): ${deliveries.perSecond.toFixed(0)} per second`,
  );
  lines.push(
    `execute → callback received (one client, ${latencySamples} triggers): p50 ${ms(callbackLatency.p50)}, p99 ${ms(callbackLatency.p99)}`,
    '',
  );
  const ratio10 = measured['execute 10'].rps / measured['bare 10'].rps;
  const ratio100 = measured['execute 100'].rps / measured['bare 100'].rps;
  const targets = [
    ['ratio ≥ 0.8 at 10 connections', ratio10 >= 0.8, ratio10.toFixed(2)],
    ['ratio ≥ 0.8 at 100 connections', ratio100 >= 0.8, ratio100.toFixed(2)],
    ['p99 < 50 ms at 100 connections', measured['execute 100'].p99 < 50, ms(measured['execute 100'].p99)],
    ['execute → result p50 ≤ 5 ms', latency.p50 <= 5, ms(latency.p50)],
    ['execute → callback received p50 ≤ 10 ms', callbackLatency.p50 <= 10, ms(callbackLatency.p50)],
    ['callback deliveries ≥ 1000 per second', deliveries.perSecond >= 1000, deliveries.perSecond.toFixed(0)],
  ];
  for (const [target, met, figure] of targets) lines.push(`${met ? 'met   ' : 'MISSED'} ${target}: ${figure}`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
