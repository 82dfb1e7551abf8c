// getTriggerResult of a finished echo trigger against the bare Fastify server's read of one row by
// primary key, each alone while it is measured, after a warm-up. The two take turns, five rounds,
// so that a machine that speeds up or slows down during the row moves both alike.
import { setTimeout as sleep } from 'node:timers/promises';
import { executeBody, load, median } from '../load.mjs';
import { startBare, startServer, tunedConfig } from '../servers.mjs';
import { settings } from '../settings.mjs';

async function execute(server) {
  const answer = await fetch(server.executeUrl, { method: 'POST', headers: server.headers, body: executeBody });
  if (answer.status !== 200) throw new Error(`execute answered ${answer.status}: ${await answer.text()}`);
  return (await answer.json()).triggerUUID;
}

/** Resolves once the trigger has finished, its result answered 200 (echo returns its parameters). */
async function finished(server, triggerUUID) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const answer = await fetch(server.resultUrl(triggerUUID), { headers: server.headers });
    await answer.arrayBuffer();
    if (answer.status === 200) return;
    if (answer.status !== 202) throw new Error(`result answered ${answer.status}`);
    await sleep(50);
  }
  throw new Error(`trigger ${triggerUUID} did not finish within 30 s`);
}

const rounds = 5;

/** The figures of the round whose rate is the median of `runs`. */
function medianRun(runs) {
  const rate = median(runs.map((run) => run.perSecond));
  return runs.find((run) => run.perSecond === rate) ?? runs[Math.floor(runs.length / 2)];
}

/**
 * GET result and bare GET at `connections`, in turns: `{ bare, result, ratio, rounds }`, each server's
 * median round, the median of the rounds' ratios, and how many rounds.
 */
export async function resultBeside(dir, connections) {
  const bare = await startBare(dir, `bare-get-${connections}`);
  const server = await startServer(dir, `result-${connections}`, tunedConfig({ workers: true }));
  try {
    const targets = [
      { server: bare, triggerUUID: await execute(bare) },
      { server, triggerUUID: await execute(server) },
    ];
    await finished(server, targets[1].triggerUUID);
    const run = ({ server: target, triggerUUID }, seconds) =>
      load(target, { url: target.resultUrl(triggerUUID), method: 'GET', connections, seconds });
    for (const target of targets) await run(target, settings.warmupSeconds);
    const runs = { bare: [], result: [] };
    for (let round = 0; round < rounds; round++) {
      runs.bare.push(await run(targets[0], settings.seconds));
      runs.result.push(await run(targets[1], settings.seconds));
    }
    const ratio = median(runs.result.map((result, round) => result.perSecond / runs.bare[round].perSecond));
    return { bare: medianRun(runs.bare), result: medianRun(runs.result), ratio, rounds };
  } finally {
    await bare.stop();
    await server.stop();
  }
}
