// CPU per finished trigger with a backlog: the backlog is written straight into the database, a
// server with default settings drains it, and the server's CPU is read when a given trigger has
// finished. Claims take the oldest first, so when the trigger at index i has finished, about i + 1
// have (give or take the few running at once). The backlogs take turns, seven rounds, so that a
// machine that speeds up or slows down during the row moves them alike.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seedBacklog, watchQueue } from '../backlog.mjs';
import { median } from '../load.mjs';
import { cpuSeconds } from '../processes.mjs';
import { defaultConfig, startServer } from '../servers.mjs';

// Triggers finished before the measured ones: the server's start and warm-up are left out.
const warmup = 2000;
export const cpuRounds = 7;

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
 * With `queued` triggers still waiting after them, `measured` triggers are drained: answers the
 * CPU milliseconds per finished trigger, and the queue before the first and after the last.
 */
async function cpuPerTrigger(dir, name, queued, measured) {
  const file = join(dir, `${name}.sqlite`);
  const triggerUUIDs = await seedBacklog(file, queued + warmup + measured);
  const server = await startServer(dir, name, defaultConfig(), file);
  const watched = watchQueue(server.file);
  try {
    await whenFinished(watched, server, triggerUUIDs[warmup - 1]);
    const before = cpuSeconds(server.pid);
    await whenFinished(watched, server, triggerUUIDs[warmup + measured - 1]);
    const msPerTrigger = ((cpuSeconds(server.pid) - before) * 1000) / measured;
    return { msPerTrigger, queueAtStart: queued + measured, queueAtEnd: watched.unfinished() };
  } finally {
    watched.close();
    await server.stop();
  }
}

/**
 * CPU per finished trigger at each of `backlogs`, `measured` triggers a round: for each backlog,
 * the median of its rounds, each round's figure and the queue; and the median of the rounds' ratios of the
 * last backlog to the first.
 */
export async function cpuAtBacklogs(dir, backlogs, measured, progress) {
  const rounds = backlogs.map(() => []);
  for (let round = 1; round <= cpuRounds; round++) {
    progress(`CPU per finished trigger, round ${round} of ${cpuRounds}`);
    for (const [index, queued] of backlogs.entries()) {
      rounds[index].push(await cpuPerTrigger(dir, `cpu-${queued}-${round}`, queued, measured));
    }
  }
  const perTrigger = (figures) => figures.map(({ msPerTrigger }) => msPerTrigger);
  const [first, last] = [perTrigger(rounds[0]), perTrigger(rounds.at(-1))];
  return {
    backlogs: backlogs.map((queued, index) => ({
      queued,
      msPerTrigger: median(perTrigger(rounds[index])),
      rounds: perTrigger(rounds[index]),
      // The first round's queue: the others' differ by the few triggers running at the end.
      queueAtStart: rounds[index][0].queueAtStart,
      queueAtEnd: rounds[index][0].queueAtEnd,
    })),
    ratio: median(last.map((value, round) => value / first[round])),
  };
}
