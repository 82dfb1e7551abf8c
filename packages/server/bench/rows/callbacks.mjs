// Callbacks to a receiver on 127.0.0.1: deliveries per second, and execute → callback received.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { load, percentile } from '../load.mjs';
import { startReceiver } from '../receiver.mjs';
import { startServer, tunedConfig } from '../servers.mjs';

/** Checks `check` every 50 ms until it holds; throws after `seconds`. */
async function until(what, check, server, seconds = 300) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    server.assertAlive();
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await sleep(50);
  }
}

async function pendingCallbacks(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const depth = /^autofacilitate_queue_depth\{queue="callbacks"\} (\d+)/m.exec(text)?.[1];
  if (depth === undefined) throw new Error('/metrics shows no autofacilitate_queue_depth{queue="callbacks"}');
  return Number(depth);
}

/**
 * Deliveries per second: a server that delivers no callbacks runs `count` triggers, each with a
 * callback to the receiver, and stops; a server on the same database then delivers them all,
 * timed from the first callback received to the last.
 */
async function deliveryRate(dir, receiver, count) {
  const queueing = await startServer(dir, 'callbacks', tunedConfig({ workers: true }));
  const body = JSON.stringify({ triggerParameters: { customerId: '42' }, callbackUrls: [receiver.url] });
  const { ok } = await load(queueing, { body, connections: 50, amount: count });
  if (ok !== count) throw new Error(`execute with a callback: ${count - ok} of ${count} answered 429`);
  await until('callbacks queued', async () => (await pendingCallbacks(queueing)) === count, queueing);
  await queueing.stop();
  const from = receiver.arrivals.length;
  const delivering = await startServer(dir, 'callbacks', tunedConfig({ workers: true, callbacks: true }));
  await until('callbacks delivered', async () => receiver.arrivals.length - from >= count, delivering);
  await delivering.stop();
  const arrivals = receiver.arrivals.slice(from);
  return { count: arrivals.length, perSecond: ((arrivals.length - 1) / (arrivals.at(-1) - arrivals[0])) * 1000 };
}

/** Execute → callback received, one client, one trigger at a time. */
async function timeCallbacks(server, receiver, count) {
  const samples = [];
  const body = JSON.stringify({ triggerParameters: { customerId: '42' }, callbackUrls: [receiver.url] });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const executed = await fetch(server.executeUrl, { method: 'POST', headers: server.headers, body });
    if (executed.status !== 200) throw new Error(`execute answered ${executed.status}`);
    const { triggerUUID } = await executed.json();
    samples.push((await receiver.callbackOf(triggerUUID)) - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** `{ deliveries, latency }`: `count` deliveries timed, then `samples` callbacks one at a time. */
export async function callbacks(dir, count, samples) {
  const receiver = await startReceiver();
  try {
    const deliveries = await deliveryRate(dir, receiver, count);
    const server = await startServer(dir, 'callback-latency', tunedConfig({ workers: true, callbacks: true }));
    await timeCallbacks(server, receiver, 100);
    const latency = await timeCallbacks(server, receiver, samples);
    await server.stop();
    return { deliveries, latency };
  } finally {
    await receiver.close();
  }
}
