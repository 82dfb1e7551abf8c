// The rows on PostgreSQL, each database fresh: execute beside the bare pg insert with one and two
// API processes (workers and callbacks off); end to end with a worker process beside one API
// process; execute → result one trigger at a time; jobs per second through a worker process;
// callbacks per second from a process that delivers them.
import { setTimeout as sleep } from 'node:timers/promises';
import { executeBody, load } from '../load.mjs';
import { findPostgresBin, startCluster, watchPostgres } from '../postgres.mjs';
import { startReceiver } from '../receiver.mjs';
import { startBarePostgres, startServer, tunedConfig } from '../servers.mjs';
import { settings } from '../settings.mjs';
import { timeTriggers } from './execute-to-result.mjs';

const api = (postgres) => tunedConfig({ workers: false, callbacks: false, postgres });
const worker = (postgres, callbacks = false) => tunedConfig({ workers: true, callbacks, postgres });

/** Starts one server per config, one after the other (each migrates under a lock). */
async function startAll(dir, name, configs) {
  const servers = [];
  for (const [index, config] of configs.entries()) servers.push(await startServer(dir, `${name}-${index}`, config));
  return servers;
}

const stopAll = (servers) => Promise.all(servers.map((server) => server.stop()));

/**
 * Loads every server of `servers` at once, the connections shared among them: the rates added up,
 * the latencies the worse server's.
 */
async function loadAll(servers, { connections, seconds, body = executeBody }) {
  const each = Math.max(1, Math.round(connections / servers.length));
  const figures = await Promise.all(servers.map((server) => load(server, { body, connections: each, seconds })));
  return {
    perSecond: figures.reduce((sum, { perSecond }) => sum + perSecond, 0),
    ok: figures.reduce((sum, { ok }) => sum + ok, 0),
    tooMany: figures.reduce((sum, { tooMany }) => sum + tooMany, 0),
    seconds: Math.max(...figures.map(({ seconds }) => seconds)),
    p50: Math.max(...figures.map(({ p50 }) => p50)),
    p99: Math.max(...figures.map(({ p99 }) => p99)),
  };
}

async function measure(servers, connections) {
  await loadAll(servers, { connections, seconds: settings.warmupSeconds });
  return loadAll(servers, { connections, seconds: settings.seconds });
}

async function until(what, check, servers, seconds = 300) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    for (const server of servers) server.assertAlive();
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await sleep(50);
  }
}

/** Execute at `connections` with 1 and 2 API processes, beside the bare insert: `{ bare, apis }`. */
async function executeBeside(dir, cluster, connections) {
  const bare = await startBarePostgres(await cluster.createDatabase());
  const bareFigures = await measure([bare], connections);
  await bare.stop();
  const apis = new Map();
  for (const count of [1, 2]) {
    const url = await cluster.createDatabase();
    const servers = await startAll(dir, `pg-api-${count}-${connections}`, Array(count).fill(api(url)));
    apis.set(count, await measure(servers, connections));
    await stopAll(servers);
  }
  return { bare: bareFigures, apis };
}

/**
 * One API process loaded at `connections` while a worker process runs what it accepts, then the
 * drain: `{ load, queue, drainSeconds, left, perSecond }` as the SQLite end-to-end row.
 */
async function endToEnd(dir, cluster, connections) {
  const url = await cluster.createDatabase();
  const servers = await startAll(dir, 'pg-e2e', [api(url), worker(url)]);
  const watched = await watchPostgres(url);
  try {
    const body = JSON.stringify({ triggerParameters: { key: 'value', customerId: '42' } });
    const start = await watched.unfinished();
    const figures = await loadAll([servers[0]], { connections, seconds: settings.seconds, body });
    const loadEnded = performance.now();
    const atEnd = await watched.unfinished();
    let left = atEnd;
    while (left > 0 && performance.now() - loadEnded < settings.drainSeconds * 1000) {
      await sleep(100);
      for (const server of servers) server.assertAlive();
      left = await watched.unfinished();
    }
    const drainSeconds = (performance.now() - loadEnded) / 1000;
    return {
      load: figures,
      queue: [start, atEnd],
      drainSeconds,
      left,
      perSecond: (figures.ok + start - left) / (figures.seconds + drainSeconds),
    };
  } finally {
    await watched.close();
    await stopAll(servers);
  }
}

/** Execute → result of echo, one client, through an API process with a worker process beside it. */
async function executeToResult(dir, cluster) {
  const url = await cluster.createDatabase();
  const servers = await startAll(dir, 'pg-latency', [api(url), worker(url)]);
  await timeTriggers(servers[0], 10);
  const latency = await timeTriggers(servers[0], settings.postgresLatencySamples);
  await stopAll(servers);
  return latency;
}

/**
 * Jobs per second: an API process queues `count` echo triggers, then a worker process runs them
 * all, timed from the first start to the last finish the triggers record.
 */
async function jobRate(dir, cluster, count) {
  const url = await cluster.createDatabase();
  const [queueing] = await startAll(dir, 'pg-jobs', [api(url)]);
  const { ok } = await load(queueing, { body: executeBody, connections: 50, amount: count });
  if (ok !== count) throw new Error(`execute: ${count - ok} of ${count} answered 429`);
  const watched = await watchPostgres(url);
  try {
    const [running] = await startAll(dir, 'pg-jobs-worker', [worker(url)]);
    await until('triggers run', async () => (await watched.unfinished()) === 0, [running, queueing]);
    await stopAll([running, queueing]);
    const { count: finished, seconds } = await watched.finishedSpan();
    return { count: finished, perSecond: finished / seconds };
  } finally {
    await watched.close();
  }
}

/**
 * Callbacks per second: an API and a worker process that delivers none run `count` triggers with
 * a callback each and stop; a process that delivers callbacks (its workers off) then delivers
 * them all, timed from the first callback received to the last.
 */
async function deliveryRate(dir, cluster, count) {
  const receiver = await startReceiver();
  const url = await cluster.createDatabase();
  const watched = await watchPostgres(url);
  try {
    const queueing = await startAll(dir, 'pg-callbacks', [api(url), worker(url)]);
    const body = JSON.stringify({ triggerParameters: { customerId: '42' }, callbackUrls: [receiver.url] });
    const { ok } = await load(queueing[0], { body, connections: 50, amount: count });
    if (ok !== count) throw new Error(`execute with a callback: ${count - ok} of ${count} answered 429`);
    await until('callbacks queued', async () => (await watched.pendingCallbacks()) === count, queueing);
    await stopAll(queueing);
    const delivering = await startAll(dir, 'pg-deliverer', [
      tunedConfig({ workers: false, callbacks: true, postgres: url }),
    ]);
    await until('callbacks delivered', async () => receiver.arrivals.length >= count, delivering);
    await stopAll(delivering);
    const { arrivals } = receiver;
    return { count: arrivals.length, perSecond: ((arrivals.length - 1) / (arrivals.at(-1) - arrivals[0])) * 1000 };
  } finally {
    await watched.close();
    await receiver.close();
  }
}

/**
 * Every PostgreSQL row, on one cluster started for them and removed after; `{ missing }` when
 * PostgreSQL is not installed here (the rows are left out, saying why).
 */
export async function postgresRows(dir, progress) {
  try {
    findPostgresBin();
  } catch (error) {
    progress(`PostgreSQL rows left out: ${error.message}`);
    return { missing: error.message };
  }
  progress('PostgreSQL: a cluster of its own, fsync on');
  const cluster = await startCluster();
  try {
    const execute = new Map();
    for (const connections of [10, 100]) {
      progress(`PostgreSQL: execute with 1 and 2 API processes beside the bare pg insert, ${connections} connections`);
      execute.set(connections, await executeBeside(dir, cluster, connections));
    }
    progress('PostgreSQL: end to end, an API process and a worker process, 100 connections');
    const sustained = await endToEnd(dir, cluster, 100);
    progress('PostgreSQL: execute → result, one trigger at a time');
    const latency = await executeToResult(dir, cluster);
    progress(`PostgreSQL: ${settings.postgresJobs} triggers through a worker process`);
    const jobs = await jobRate(dir, cluster, settings.postgresJobs);
    progress(`PostgreSQL: ${settings.postgresJobs} callbacks`);
    const callbacks = await deliveryRate(dir, cluster, settings.postgresJobs);
    return { execute, sustained, latency, jobs, callbacks };
  } finally {
    await cluster.stop();
  }
}
