// The bench's printout: Markdown tables, so that a run can be quoted in the README as printed.
import { cpus, loadavg, tmpdir } from 'node:os';

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
    `Request rows: ${settings.seconds} s each after a ${settings.warmupSeconds} s warm-up. End to end: ` +
      `${settings.endToEndSeconds} s at ${settings.endToEndConnections} connections, drain cut at ${settings.drainSeconds} s.`,
    '',
  ];
}

function requestRow(name, connections, figures, bare) {
  return [
    name,
    connections,
    count.format(figures.perSecond),
    ms(figures.p50),
    ms(figures.p99),
    count.format(figures.tooMany),
    ratio(figures.perSecond / bare.perSecond),
  ];
}

/** The rows of requests per second, each beside the bare server's. */
export function requestTable({ execute, settingsRows, results }) {
  const rows = [];
  for (const [key, { synchronous, bare, execute: figures }] of execute) {
    const connections = Number(key.split(' ')[1]);
    rows.push(requestRow(`bare Fastify + 1 SQLite insert, synchronous=${synchronous}`, connections, bare, bare));
    rows.push(requestRow(`execute (API process), synchronous=${synchronous}`, connections, figures, bare));
  }
  // The other settings change the default (FULL) one at a time; beside the fastest baseline.
  const bare100 = execute.get('NORMAL 100').bare;
  for (const [name, figures] of settingsRows) rows.push(requestRow(name, 100, figures, bare100));
  for (const [connections, { bare, result }] of results) {
    rows.push(requestRow('bare Fastify GET of 1 SQLite row', connections, bare, bare));
    rows.push(requestRow('GET result (API process)', connections, result, bare));
  }
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
    ],
  );
}

/** CPU per finished trigger at each backlog. */
export function cpuTable(cpu, perWindow) {
  return table(
    [
      'CPU per finished trigger',
      'queue during the windows',
      `ms per trigger (median of 3 × ${count.format(perWindow)})`,
    ],
    ['---', '---', '---:'],
    cpu.map(([queued, figures]) => [
      `${count.format(queued)} queued`,
      `${count.format(figures.queueAtStart)} → ${count.format(figures.queueAtEnd)}`,
      `${figures.msPerTrigger.toFixed(3)} (${figures.windows.map((value) => value.toFixed(3)).join(', ')})`,
    ]),
  );
}

/** The one-at-a-time latencies and the callbacks. */
export function latencyTable({ latency, deliveries, callbackLatency, samples }) {
  return table(
    ['latency and callbacks', 'figure'],
    ['---', '---'],
    [
      [
        `execute → result of \`echo\` (one client, ${samples} triggers)`,
        `p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`,
      ],
      [
        `callbacks delivered to a receiver on 127.0.0.1 (${deliveries.count}, 64 at once)`,
        `${count.format(deliveries.perSecond)} per second`,
      ],
      [
        `execute → callback received (one client, ${samples} triggers)`,
        `p50 ${ms(callbackLatency.p50)}, p99 ${ms(callbackLatency.p99)}`,
      ],
    ],
  );
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
