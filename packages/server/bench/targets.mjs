// The targets the figures are held to, each as [target, met, figure]. The bench prints them and
// fails on none: figures on a shared machine move from one run to the next. A part not run
// (`BENCH_ROWS`) has no targets.
import { format } from './report.mjs';

const { ratio, ms, count } = format;

function executeTargets(execute) {
  const list = [];
  for (const synchronous of ['NORMAL', 'FULL']) {
    for (const connections of [10, 100]) {
      const { bare, execute: figures } = execute.get(`${synchronous} ${connections}`);
      const value = figures.perSecond / bare.perSecond;
      list.push([
        `execute, workers off ≥ 1.0 × bare at ${connections} connections, both synchronous=${synchronous}`,
        value >= 1,
        ratio(value),
      ]);
    }
  }
  const execute100 = execute.get('FULL 100').execute;
  list.push(['execute, workers off: p99 < 50 ms at 100 connections', execute100.p99 < 50, ms(execute100.p99)]);
  return list;
}

function endToEndTargets({ figures, bare }, connections) {
  // The end-to-end rate is held to the fastest baseline.
  const sustainedRatio = figures.perSecond / bare.perSecond;
  const half = figures.queue[Math.floor((figures.queue.length - 1) / 2)];
  const end = figures.queue.at(-1);
  return [
    [
      'end to end: sustained ≥ 0.33 × bare (goal 0.5 ×)',
      sustainedRatio >= 0.33,
      `${ratio(sustainedRatio)}${sustainedRatio >= 0.5 ? ', goal met' : ''}`,
    ],
    [
      `end to end: queue not growing (end ≤ at ${half.second.toFixed(0)} s + 1,000)`,
      end.unfinished <= half.unfinished + 1000,
      `${count.format(half.unfinished)} → ${count.format(end.unfinished)}`,
    ],
    [
      `end to end: execute p99 < 50 ms at ${connections} connections, workers running`,
      figures.load.p99 < 50,
      ms(figures.load.p99),
    ],
  ];
}

function postgresTargets({ execute, latency }) {
  const list = [];
  for (const [connections, { bare, apis }] of execute) {
    const value = apis.get(1).perSecond / bare.perSecond;
    list.push([
      `PostgreSQL: execute, one API process ≥ 1.0 × the bare pg insert at ${connections} connections`,
      value >= 1,
      ratio(value),
    ]);
  }
  list.push(['PostgreSQL: execute → result of echo p50 ≤ 15 ms', latency.p50 <= 15, ms(latency.p50)]);
  return list;
}

/** The targets of a run's figures, in the order they are printed. */
export function targets({ execute, results, sustained, cpu, latency, called, postgres }, settings) {
  const list = [];
  if (execute) list.push(...executeTargets(execute));
  if (sustained) list.push(...endToEndTargets(sustained, settings.endToEndConnections));
  if (cpu?.backlogs.length >= 2) {
    const [short, long] = [cpu.backlogs[0].queued, cpu.backlogs.at(-1).queued];
    list.push([
      `CPU per trigger with ${count.format(long)} queued ≤ 1.2 × with ${count.format(short)} (median of the rounds' ratios)`,
      cpu.ratio <= 1.2,
      ratio(cpu.ratio),
    ]);
  }
  for (const [connections, { ratio: value }] of results ?? []) {
    list.push([`GET result ≥ 0.6 × bare GET at ${connections} connections`, value >= 0.6, ratio(value)]);
  }
  if (latency) list.push(['execute → result p50 ≤ 5 ms', latency.p50 <= 5, ms(latency.p50)]);
  if (called) {
    list.push(['execute → callback received p50 ≤ 10 ms', called.latency.p50 <= 10, ms(called.latency.p50)]);
    list.push([
      'callback deliveries ≥ 1000 per second',
      called.deliveries.perSecond >= 1000,
      count.format(called.deliveries.perSecond),
    ]);
  }
  if (postgres && !postgres.missing) list.push(...postgresTargets(postgres));
  return list;
}
