// The bench's printout: Markdown tables, so that a run can be quoted in the README as printed.
import { cpus, loadavg, tmpdir } from 'node:os';
import { rowNames } from './settings.mjs';

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ms = (value) => `${value.toFixed(1)} ms`;
const ratio = (value) => value.toFixed(2);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (header, align, rows) => [row(header), row(align), ...rows.map(row), ''];

/** When, on what and how the run was made. */
export function machine(settings) {
  const cpu = cpus();
  return [
    `Bench of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: Node ${process.version}, ` +
      `${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')} at the start, databases in ${tmpdir()}.`,
    ...(settings.rows.size < rowNames.length ? [`Rows run (BENCH_ROWS): ${[...settings.rows].join(', ')}.`] : []),
    `Request rows: ${settings.seconds} s each after a ${settings.warmupSeconds} s warm-up. End to end: ` +
      `${settings.endToEndSeconds} s at ${settings.endToEndConnections} connections, drain cut at ${settings.drainSeconds} s.`,
    '',
  ];
}

/** A row of requests per second; its ratio to `bare`'s rate unless the rounds' median `ratioToBare` is given. */
function requestRow(name, connections, figures, bare, ratioToBare = figures.perSecond / bare.perSecond) {
  return [
    name,
    connections,
    count.format(figures.perSecond),
    ms(figures.p50),
    ms(figures.p99),
    count.format(figures.tooMany),
    ratio(ratioToBare),
  ];
}

/** The rows of requests per second, each beside the bare server's. */
export function requestTable({ execute, settingsRows, results }) {
  const rows = [];
  for (const [key, { synchronous, bare, execute: figures }] of execute ?? []) {
    const connections = Number(key.split(' ')[1]);
    rows.push(requestRow(`bare Fastify + 1 SQLite insert, synchronous=${synchronous}`, connections, bare, bare));
    rows.push(requestRow(`execute (API process), synchronous=${synchronous}`, connections, figures, bare));
  }
  // The other settings change the default (FULL) one at a time; beside the fastest baseline.
  if (settingsRows) {
    if (!execute)
      rows.push(
        requestRow('bare Fastify + 1 SQLite insert, synchronous=NORMAL', 100, settingsRows.bare, settingsRows.bare),
      );
    for (const [name, figures] of settingsRows.rows) rows.push(requestRow(name, 100, figures, settingsRows.bare));
  }
  for (const [connections, { bare, result, ratio: resultRatio, rounds }] of results ?? []) {
    rows.push(requestRow(`bare Fastify GET of 1 SQLite row (median of ${rounds} rounds)`, connections, bare, bare));
    rows.push(
      requestRow(`GET result (API process, median of ${rounds} rounds)`, connections, result, bare, resultRatio),
    );
  }
  if (rows.length === 0) return [];
  return table(
    ['run', 'connections', 'req/s', 'p50', 'p99', '429', 'ratio to bare'],
    ['---', '---:', '---:', '---:', '---:', '---:', '---:'],
    rows,
  );
}

/** The end-to-end run, beside the bare server at its connections. */
export function endToEndTable(endToEnd, bare, connections) {
  const { load, queue, finishedDuringLoad, drainSeconds, left } = endToEnd;
  return table(
    ['end to end (one process, default settings, echo at concurrency 4)', 'figure'],
    ['---', '---'],
    [
      [
        `executes accepted (${load.seconds.toFixed(0)} s at ${connections} connections)`,
        `${count.format(load.ok)} (${count.format(load.perSecond)} per second), ${count.format(load.tooMany)} × 429`,
      ],
      ['execute latency during the load', `p50 ${ms(load.p50)}, p99 ${ms(load.p99)}`],
      [
        `queue (unfinished triggers) at ${queue.map(({ second }) => second.toFixed(0)).join(', ')} s`,
        queue.map(({ unfinished }) => count.format(unfinished)).join(' → '),
      ],
      [
        'triggers finished during the load',
        `${count.format(finishedDuringLoad)} (${count.format(finishedDuringLoad / load.seconds)} per second)`,
      ],
      [
        'drain after the load',
        left === 0 ? `${drainSeconds.toFixed(1)} s` : `cut at ${drainSeconds.toFixed(0)} s, ${count.format(left)} left`,
      ],
      [
        'echo triggers finished per second, sustained',
        `${count.format(endToEnd.perSecond)} (${ratio(endToEnd.perSecond / bare.perSecond)} × bare at ${connections}: ${count.format(bare.perSecond)} req/s)`,
      ],
      [
        `execute latency at half that rate (${count.format(endToEnd.paced.rate)} per second, sent steadily for ${endToEnd.paced.seconds} s over up to ${connections} connections, timed from when each was due)`,
        `p50 ${ms(endToEnd.paced.p50)}, p99 ${ms(endToEnd.paced.p99)}, ${count.format(endToEnd.paced.ok)} answered 200 (the bench sent ${ms(endToEnd.paced.lateP99)} late at p99)`,
      ],
    ],
  );
}

/** CPU per finished trigger at each backlog, over the rounds they took turns in. */
export function cpuTable(cpu, measured) {
  return table(
    [
      'CPU per finished trigger',
      'queue while measured',
      `ms per trigger (median of ${cpu.backlogs[0].rounds.length} rounds of ${count.format(measured)} triggers)`,
    ],
    ['---', '---', '---:'],
    cpu.backlogs.map((backlog) => [
      `${count.format(backlog.queued)} queued`,
      `${count.format(backlog.queueAtStart)} → ${count.format(backlog.queueAtEnd)}`,
      `${backlog.msPerTrigger.toFixed(3)} (${backlog.rounds.map((value) => value.toFixed(3)).join(', ')})`,
    ]),
  );
}

/** The one-at-a-time latencies and the callbacks. */
export function latencyTable({ latency, called, samples }) {
  const rows = [];
  if (latency) {
    rows.push([
      `execute → result of \`echo\` (one client, ${samples} triggers)`,
      `p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`,
    ]);
  }
  if (called) {
    rows.push(
      [
        `callbacks delivered to a receiver on 127.0.0.1 (${called.deliveries.count}, 64 at once)`,
        `${count.format(called.deliveries.perSecond)} per second`,
      ],
      [
        `execute → callback received (one client, ${samples} triggers)`,
        `p50 ${ms(called.latency.p50)}, p99 ${ms(called.latency.p99)}`,
      ],
    );
  }
  if (rows.length === 0) return [];
  return table(['latency and callbacks', 'figure'], ['---', '---'], rows);
}

/** The PostgreSQL rows: execute beside the bare pg insert, end to end, latency, jobs, callbacks. */
export function postgresTable({ missing, execute, sustained, latency, jobs, callbacks }, settings) {
  if (missing) return [`PostgreSQL rows left out: ${missing}`, ''];
  const rows = [];
  for (const [connections, { bare, apis }] of execute) {
    rows.push(requestRow('bare Fastify + 1 pg INSERT (pool of 10)', connections, bare, bare));
    for (const [count, figures] of apis) {
      rows.push(requestRow(`execute, ${count} API process${count > 1 ? 'es' : ''}`, connections, figures, bare));
    }
  }
  const bare100 = execute.get(100).bare;
  const { load } = sustained;
  return [
    ...table(
      ['PostgreSQL run', 'connections', 'req/s', 'p50', 'p99', '429', 'ratio to bare pg'],
      ['---', '---:', '---:', '---:', '---:', '---:', '---:'],
      [...rows, requestRow('execute, 1 API process, a worker process running', 100, load, bare100)],
    ),
    ...table(
      ['PostgreSQL, end to end and workers', 'figure'],
      ['---', '---'],
      [
        [
          `end to end: executes accepted (${load.seconds.toFixed(0)} s at 100 connections, 1 API process, 1 worker process)`,
          `${count.format(load.ok)} (${count.format(load.perSecond)} per second), queue ${count.format(sustained.queue[0])} → ${count.format(sustained.queue[1])}`,
        ],
        [
          'end to end: drain after the load',
          sustained.left === 0
            ? `${sustained.drainSeconds.toFixed(1)} s`
            : `cut at ${sustained.drainSeconds.toFixed(0)} s, ${count.format(sustained.left)} left`,
        ],
        [
          'end to end: echo triggers finished per second, sustained',
          `${count.format(sustained.perSecond)} (${ratio(sustained.perSecond / bare100.perSecond)} × bare pg at 100)`,
        ],
        [
          `execute → result of \`echo\` (one client, ${settings.postgresLatencySamples} triggers, API and worker processes apart)`,
          `p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`,
        ],
        [
          `jobs through a worker process (${count.format(jobs.count)} echo triggers queued, first start to last finish)`,
          `${count.format(jobs.perSecond)} per second`,
        ],
        [
          `callbacks delivered to a receiver on 127.0.0.1 (${count.format(callbacks.count)}, 64 at once, one process)`,
          `${count.format(callbacks.perSecond)} per second`,
        ],
      ],
    ),
  ];
}

/** Each target, met or missed, with its figure. The bench prints them; it fails on none. */
export function targetTable(targets) {
  return table(
    ['target', 'figure', ''],
    ['---', '---:', '---'],
    targets.map(([target, met, figure]) => [target, figure, met ? 'met' : '**missed**']),
  );
}

export const format = { count, ms, ratio };
