// `nx run server:bench`: the server's figures, each beside the bare Fastify server of
// `bare-server.mjs` (or, on PostgreSQL, of `bare-pg-server.mjs`) measured in the same run on the
// same machine. Requests (execute with the workers off, under each setting that changes its cost;
// GET result); end to end (echo triggers finished per second, sustained, by one process with
// default settings, and execute's latency meanwhile); CPU per finished trigger at a short and a
// long queue; latency one trigger at a time; callbacks; the same on PostgreSQL with API and worker
// processes apart. Prints the figures, the ratios and the targets; fails only when a server errors
// or answers what it should not. `BENCH_ROWS` runs some parts alone (settings.mjs).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAll } from './processes.mjs';
import { cpuTable, endToEndTable, latencyTable, machine, postgresTable, requestTable, targetTable } from './report.mjs';
import { callbacks } from './rows/callbacks.mjs';
import { cpuAtBacklogs } from './rows/cpu-per-trigger.mjs';
import { endToEnd } from './rows/end-to-end.mjs';
import { bareInsert, executeBeside, executeSettings } from './rows/execute.mjs';
import { executeToResult } from './rows/execute-to-result.mjs';
import { resultBeside } from './rows/get-result.mjs';
import { postgresRows } from './rows/postgres.mjs';
import { settings } from './settings.mjs';
import { targets } from './targets.mjs';

const started = Date.now();
// Each step with the minutes and seconds since the start, so that a run's length is seen as it goes.
const progress = (text) => {
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`bench ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}: ${text}\n`);
};
const { rows } = settings;

async function measureAll(dir) {
  const measured = {};
  // Keyed `<synchronous> <connections>`: FULL is the server's default, NORMAL the fastest baseline.
  const execute = new Map();
  if (rows.has('execute')) {
    measured.execute = execute;
    for (const synchronous of ['NORMAL', 'FULL']) {
      for (const connections of [...new Set([10, 100, settings.endToEndConnections])]) {
        progress(`execute with the workers off beside bare, synchronous=${synchronous}, ${connections} connections`);
        execute.set(`${synchronous} ${connections}`, await executeBeside(dir, connections, synchronous));
      }
    }
  }
  // The bare insert at NORMAL a row is held to: from the execute rows, else measured for it alone.
  const anchors = new Map();
  const anchor = async (connections) => {
    const measuredBeside = execute.get(`NORMAL ${connections}`)?.bare;
    if (measuredBeside) return measuredBeside;
    if (!anchors.has(connections)) {
      progress(`bare insert alone, synchronous=NORMAL, ${connections} connections (the anchor)`);
      anchors.set(connections, await bareInsert(dir, connections, 'NORMAL'));
    }
    return anchors.get(connections);
  };
  if (rows.has('settings')) {
    progress('execute under other settings, 100 connections');
    measured.settingsRows = { bare: await anchor(100), rows: await executeSettings(dir) };
  }
  if (rows.has('get-result')) {
    measured.results = new Map();
    for (const connections of [10, 100]) {
      progress(`GET result beside bare, ${connections} connections`);
      measured.results.set(connections, await resultBeside(dir, connections));
    }
  }
  if (rows.has('end-to-end')) {
    progress(
      `end to end: ${settings.endToEndSeconds} s of load, the drain (at most ${settings.drainSeconds} s), ${settings.seconds} s at half the rate`,
    );
    const figures = await endToEnd(dir, {
      seconds: settings.endToEndSeconds,
      connections: settings.endToEndConnections,
      drainSeconds: settings.drainSeconds,
      pacedSeconds: settings.seconds,
    });
    measured.sustained = { figures, bare: await anchor(settings.endToEndConnections) };
  }
  if (rows.has('cpu')) measured.cpu = await cpuAtBacklogs(dir, settings.cpuQueued, settings.cpuTriggers, progress);
  if (rows.has('latency')) {
    progress('execute → result, one trigger at a time');
    measured.latency = await executeToResult(dir, settings.latencySamples);
  }
  if (rows.has('callbacks')) {
    progress('callbacks');
    measured.called = await callbacks(dir, settings.callbacks, settings.latencySamples);
  }
  if (rows.has('postgres')) measured.postgres = await postgresRows(dir, progress);
  return measured;
}

const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-bench-'));
try {
  const header = machine(settings);
  const measured = await measureAll(dir);
  const lines = [
    ...header,
    ...requestTable(measured),
    ...(measured.sustained
      ? endToEndTable(measured.sustained.figures, measured.sustained.bare, settings.endToEndConnections)
      : []),
    ...(measured.cpu ? cpuTable(measured.cpu, settings.cpuTriggers) : []),
    ...latencyTable({ latency: measured.latency, called: measured.called, samples: settings.latencySamples }),
    ...(measured.postgres ? postgresTable(measured.postgres, settings) : []),
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
