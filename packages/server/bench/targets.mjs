// The targets the figures are held to, each as [target, met, figure]. The bench prints them and
// fails on none: figures on a shared machine move from one run to the next.
import { format } from './report.mjs';

/** The targets of a run's figures, in the order they are printed. */
export function targets({ execute, results, sustained, cpu, latency, called }, settings) {
  const { ratio, ms, count } = format;
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
  // The end-to-end rate is held to the fastest baseline.
  const bare = execute.get(`NORMAL ${settings.endToEndConnections}`).bare;
  const sustainedRatio = sustained.perSecond / bare.perSecond;
  list.push([
    'end to end: sustained ≥ 0.33 × bare (goal 0.5 ×)',
    sustainedRatio >= 0.33,
    `${ratio(sustainedRatio)}${sustainedRatio >= 0.5 ? ', goal met' : ''}`,
  ]);
  const half = sustained.queue[Math.floor((sustained.queue.length - 1) / 2)];
  const end = sustained.queue.at(-1);
  list.push([
    `end to end: queue not growing (end ≤ at ${half.second.toFixed(0)} s + 1,000)`,
    end.unfinished <= half.unfinished + 1000,
    `${count.format(half.unfinished)} → ${count.format(end.unfinished)}`,
  ]);
  list.push([
    `end to end: execute p99 < 50 ms at ${settings.endToEndConnections} connections, workers running`,
    sustained.load.p99 < 50,
    ms(sustained.load.p99),
  ]);
  if (cpu.length >= 2) {
    const [shortQueue, short] = cpu[0];
    const [longQueue, long] = cpu.at(-1);
    const value = long.msPerTrigger / short.msPerTrigger;
    list.push([
      `CPU per trigger with ${count.format(longQueue)} queued ≤ 1.2 × with ${count.format(shortQueue)}`,
      value <= 1.2,
      ratio(value),
    ]);
  }
  for (const [connections, { bare: bareGet, result }] of results) {
    const value = result.perSecond / bareGet.perSecond;
    list.push([`GET result ≥ 0.6 × bare GET at ${connections} connections`, value >= 0.6, ratio(value)]);
  }
  list.push(['execute → result p50 ≤ 5 ms', latency.p50 <= 5, ms(latency.p50)]);
  list.push(['execute → callback received p50 ≤ 10 ms', called.latency.p50 <= 10, ms(called.latency.p50)]);
  list.push([
    'callback deliveries ≥ 1000 per second',
    called.deliveries.perSecond >= 1000,
    count.format(called.deliveries.perSecond),
  ]);
  return list;
}
