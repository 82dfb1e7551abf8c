// Execute → result of echo, one client, one trigger at a time, polling the result.
import { performance } from 'node:perf_hooks';
import { executeBody, percentile } from '../load.mjs';
import { startServer, tunedConfig } from '../servers.mjs';

/** p50 and p99 of execute → result over `count` triggers, one at a time. */
export async function timeTriggers(server, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const executed = await fetch(server.executeUrl, { method: 'POST', headers: server.headers, body: executeBody });
    if (executed.status !== 200) throw new Error(`execute answered ${executed.status}`);
    const { triggerUUID } = await executed.json();
    for (;;) {
      const answer = await fetch(server.resultUrl(triggerUUID), { headers: server.headers });
      await answer.arrayBuffer();
      if (answer.status === 200) break;
      if (answer.status !== 202) throw new Error(`result answered ${answer.status}`);
    }
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** p50 and p99 of execute → result over `count` triggers, after 100 to warm up. */
export async function executeToResult(dir, count) {
  const server = await startServer(dir, 'latency', tunedConfig({ workers: true }));
  await timeTriggers(server, 100);
  const latency = await timeTriggers(server, count);
  await server.stop();
  return latency;
}
