// `nx run sdk:bench`: execute() calls per second against a local HTTP server, beside raw fetch of
// the same request (same URL, headers and JSON body, JSON answer read) in the same run, token
// cached. execute() is measured twice: with the default 30 s deadline (its requests then carry an
// abort signal, which the raw fetch does not) and with `timeoutMs: Infinity` (like for like).
// The server runs in its own process, and so does each measurement (bench/contender.mjs). Rounds
// are short and rotate the order, so a change in machine load hits all contenders alike; the
// figures to read are the medians of the per-round ratios to raw fetch.
// Tune with BENCH_ROUNDS, BENCH_CALLS (per contender per round) and BENCH_CONCURRENCY.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const server = fork(here('./execute-server.mjs'), { stdio: 'inherit' });
const [{ port }] = await once(server, 'message');
const baseUrl = `http://127.0.0.1:${port}`;

const LABELS = {
  raw: 'raw fetch',
  deadline: 'execute(), default 30 s deadline',
  unbounded: 'execute(), timeoutMs: Infinity',
};
const names = Object.keys(LABELS);

async function measure(name) {
  const child = fork(here('./contender.mjs'), [name, baseUrl, String(CALLS), String(CONCURRENCY)], {
    stdio: 'inherit',
  });
  const [[result]] = await Promise.all([once(child, 'message'), once(child, 'exit')]);
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const result = {};
  for (const name of names.map((_, index) => names[(index + round) % names.length])) result[name] = await measure(name);
  rounds.push(result);
  console.log(
    `round ${String(round + 1).padStart(2)}: ${names.map((name) => `${name} ${Math.round(result[name].rate)}/s`).join(', ')}`,
  );
}

console.log(
  `\nNode ${process.version}; ${ROUNDS} rounds of ${CALLS} calls per contender, ${CONCURRENCY} in flight; token cached`,
);
for (const name of names) {
  const rate = Math.round(median(rounds.map((r) => r[name].rate)));
  const cpu = Math.round(median(rounds.map((r) => r[name].cpuMicros)));
  const ratio =
    name === 'raw' ? '' : `; ratio to raw fetch ${median(rounds.map((r) => r[name].rate / r.raw.rate)).toFixed(3)}`;
  console.log(`${LABELS[name]}: ${rate} calls/s (median), ${cpu} µs client CPU per call${ratio}`);
}
server.disconnect();
