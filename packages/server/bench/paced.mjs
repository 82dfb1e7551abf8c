// An open loop: requests sent at a steady rate whatever the server does, each timed from when it
// was due to be sent, so that a server falling behind shows in the latency (autocannon's
// `overallRate` sends each second's requests in a burst at its start, which measures the burst).
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './load.mjs';

/** POSTs `body` to `url` over `agent`; resolves with the answer's status once it is read. */
function post(url, agent, headers, body) {
  return new Promise((resolve, reject) => {
    const sending = request(url, { method: 'POST', agent, headers }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode)).on('error', reject);
    });
    sending.on('error', reject).end(body);
  });
}

/**
 * POSTs `body` to `target`'s execute `rate` times a second for `seconds`, over at most
 * `connections` keep-alive connections; answers how many were answered 200, their p50 and p99
 * from when each was due, and how late the bench itself sent at p99 (a figure to distrust when
 * that is not small). Any other answer fails the bench, as in `load`.
 */
export async function paced(target, { body, rate, seconds, connections }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies = [];
  const lateness = [];
  const failures = [];
  const sent = [];
  const start = performance.now() + 100;
  try {
    for (let index = 0; index < total; index++) {
      const due = start + (index * 1000) / rate;
      const wait = due - performance.now();
      if (wait >= 1) await sleep(wait);
      lateness.push(Math.max(0, performance.now() - due));
      sent.push(
        post(target.executeUrl, agent, target.headers, body).then(
          (status) => (status === 200 ? latencies.push(performance.now() - due) : failures.push(status)),
          (error) => failures.push(error.message),
        ),
      );
    }
    await Promise.all(sent);
  } finally {
    agent.destroy();
  }
  target.assertAlive();
  if (failures.length > 0) throw new Error(`paced execute: ${failures.length} failed, the first ${failures[0]}`);
  latencies.sort((a, b) => a - b);
  lateness.sort((a, b) => a - b);
  return {
    rate,
    seconds,
    ok: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lateP99: percentile(lateness, 99),
  };
}
