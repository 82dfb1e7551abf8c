// End to end, as users run the server: one process, default settings, echo at its default
// concurrency. A load of executes, then the drain of what it queued: triggers finished per second
// sustained = accepted during the load / (load + drain time). Then executes sent at a steady half
// of that rate: the latency of a server that keeps up with room to spare, where the first load's
// is that of a saturated one (each of its connections sends again once answered, so its mean
// latency is the connections divided by the rate, whatever the server does).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchQueue } from '../backlog.mjs';
import { load } from '../load.mjs';
import { paced } from '../paced.mjs';
import { defaultConfig, startServer } from '../servers.mjs';

// No callback URL: the row measures the triggers alone.
const body = JSON.stringify({ triggerParameters: { key: 'value', customerId: '42' } });
const samples = 6;

/**
 * Loads execute for `seconds` at `connections`, noting the queue (unfinished triggers) at the
 * start, every sixth of the load and at its end, then waits up to `drainSeconds` for the queue to
 * empty; then loads execute paced at half the sustained rate for `pacedSeconds`. Answers the load's
 * figures, the queue, what finished during the load, the drain time, what was left, the sustained
 * rate, and the paced load's rate and figures.
 */
export async function endToEnd(dir, { seconds, connections, drainSeconds, pacedSeconds }) {
  const server = await startServer(dir, 'end-to-end', defaultConfig());
  const watched = watchQueue(server.file);
  try {
    const queue = [{ second: 0, unfinished: watched.unfinished() }];
    const started = performance.now();
    let loaded = false;
    const loading = load(server, { body, connections, seconds }).finally(() => (loaded = true));
    for (let sample = 1; sample < samples; sample++) {
      const at = (sample * seconds) / samples;
      await Promise.race([loading, sleep(Math.max(0, started + at * 1000 - performance.now()))]);
      if (loaded) break;
      queue.push({ second: at, unfinished: watched.unfinished() });
    }
    const figures = await loading;
    const loadEnded = performance.now();
    let left = watched.unfinished();
    queue.push({ second: figures.seconds, unfinished: left });
    while (left > 0 && performance.now() - loadEnded < drainSeconds * 1000) {
      await sleep(100);
      server.assertAlive();
      left = watched.unfinished();
    }
    const drained = (performance.now() - loadEnded) / 1000;
    // Executes in flight when the load stopped are not counted as accepted: the figures err low.
    const finished = figures.ok + queue[0].unfinished - left;
    const perSecond = finished / (figures.seconds + drained);
    const rate = Math.max(1, Math.round(perSecond / 2));
    const steady = await paced(server, { body, rate, seconds: pacedSeconds, connections });
    return {
      load: figures,
      queue,
      finishedDuringLoad: figures.ok + queue[0].unfinished - queue.at(-1).unfinished,
      drainSeconds: drained,
      left,
      perSecond,
      paced: steady,
    };
  } finally {
    watched.close();
    await server.stop();
  }
}
