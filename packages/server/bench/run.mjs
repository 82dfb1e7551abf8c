// `nx run server:bench`: the server's figures, each beside the bare Fastify server of
// `bare-server.mjs` measured in the same run on the same machine. Requests (execute with the
// workers off, under each setting that changes its cost; GET result); end to end (echo triggers
// finished per second, sustained, by one process with default settings, and execute's latency
// meanwhile); CPU per finished trigger at a short and a long queue; latency one trigger at a time;
// callbacks. Prints the figures, the ratios and the targets; fails only when a server errors or
// answers what it should not.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAll } from './processes.mjs';
import { cpuTable, endToEndTable, format, latencyTable, machine, requestTable, targetTable } from './report.mjs';
import { callbacks } from './rows/callbacks.mjs';
import { cpuPerTrigger } from './rows/cpu-per-trigger.mjs';
import { endToEnd } from './rows/end-to-end.mjs';
import { executeBeside, executeSettings } from './rows/execute.mjs';
import { executeToResult } from './rows/execute-to-result.mjs';
import { resultBeside } from './rows/get-result.mjs';
import { settings } from './settings.mjs';
import { targets } from './targets.mjs';

const progress = (text) => process.stderr.write(`bench: ${text}\n`);

async function measureAll(dir) {
  const connectionsList = [...new Set([10, 100, settings.endToEndConnections])];
  // Keyed `<synchronous> <connections>`: FULL is the server's default, NORMAL the fastest baseline.
  const execute = new Map();
  for (const synchronous of ['NORMAL', 'FULL']) {
    for (const connections of connectionsList) {
      progress(`execute with the workers off beside bare, synchronous=${synchronous}, ${connections} connections`);
      execute.set(`${synchronous} ${connections}`, await executeBeside(dir, connections, synchronous));
    }
  }
  progress('execute under other settings, 100 connections');
  const settingsRows = await executeSettings(dir);
  const results = new Map();
  for (const connections of [10, 100]) {
    progress(`GET result beside bare, ${connections} connections`);
    results.set(connections, await resultBeside(dir, connections));
  }
  progress(`end to end: ${settings.endToEndSeconds} s of load, then the drain (at most ${settings.drainSeconds} s)`);
  const sustained = await endToEnd(dir, {
    seconds: settings.endToEndSeconds,
    connections: settings.endToEndConnections,
    drainSeconds: settings.drainSeconds,
  });
  const cpu = [];
  for (const queued of settings.cpuQueued) {
    progress(`CPU per finished trigger with ${format.count.format(queued)} queued`);
    cpu.push([queued, await cpuPerTrigger(dir, queued, settings.cpuTriggers)]);
  }
  progress('execute → result, one trigger at a time');
  const latency = await executeToResult(dir, settings.latencySamples);
  progress('callbacks');
  const called = await callbacks(dir, settings.callbacks, settings.latencySamples);
  return { execute, settingsRows, results, sustained, cpu, latency, called };
}

const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-bench-'));
try {
  const header = machine(settings);
  const measured = await measureAll(dir);
  const lines = [
    ...header,
    ...requestTable(measured),
    ...endToEndTable(
      measured.sustained,
      measured.execute.get(`NORMAL ${settings.endToEndConnections}`).bare,
      settings.endToEndConnections,
    ),
    ...cpuTable(measured.cpu, settings.cpuTriggers),
    ...latencyTable({
      latency: measured.latency,
      deliveries: measured.called.deliveries,
      callbackLatency: measured.called.latency,
      samples: settings.latencySamples,
    }),
    ...targetTable(targets(measured, settings)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`\nbench failed: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await stopAll();
  await rm(dir, { recursive: true, force: true });
}
