// CPU per finished trigger with a backlog: the backlog is written straight into the database, a
// server with default settings drains it, and the server's CPU is read each time a given trigger
// has finished. Claims take the oldest first, so when the trigger at index i has finished, about
// i + 1 have (give or take the few running at once).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seedBacklog, watchQueue } from '../backlog.mjs';
import { median } from '../load.mjs';
import { cpuSeconds } from '../processes.mjs';
import { defaultConfig, startServer } from '../servers.mjs';

// Triggers finished before the first window: the server's start and warm-up are left out.
const warmup = 500;
const windows = 3;

async function whenFinished(watched, server, triggerUUID) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const status = watched.status(triggerUUID);
    if (status === 'succeeded') return;
    if (status !== 'queued' && status !== 'running') throw new Error(`trigger ${triggerUUID} is ${status}`);
    server.assertAlive();
    if (Date.now() > deadline) throw new Error(`trigger ${triggerUUID} did not finish within 600 s`);
    await sleep(2);
  }
}

/**
 * With `queued` triggers still waiting after it, three windows of `perWindow` triggers each are
 * drained; answers the median CPU milliseconds per finished trigger, each window's, and the queue
 * at the start of the first window and at the end of the last.
 */
export async function cpuPerTrigger(dir, queued, perWindow) {
  const name = `cpu-${queued}`;
  const file = join(dir, `${name}.sqlite`);
  const triggerUUIDs = await seedBacklog(file, queued + warmup + windows * perWindow);
  const server = await startServer(dir, name, defaultConfig(), file);
  const watched = watchQueue(server.file);
  try {
    const marks = [];
    for (let window = 0; window <= windows; window++) {
      await whenFinished(watched, server, triggerUUIDs[warmup + window * perWindow - 1]);
      marks.push(cpuSeconds(server.pid));
    }
    const queueAtEnd = watched.unfinished();
    const perTrigger = marks.slice(1).map((cpu, index) => ((cpu - marks[index]) * 1000) / perWindow);
    return {
      msPerTrigger: median(perTrigger),
      windows: perTrigger,
      queueAtStart: queued + windows * perWindow,
      queueAtEnd,
    };
  } finally {
    watched.close();
    await server.stop();
  }
}
