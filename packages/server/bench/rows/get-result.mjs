// getTriggerResult of a finished echo trigger against the bare Fastify server's read of one row by
// primary key, each alone while it is measured, after a warm-up.
import { setTimeout as sleep } from 'node:timers/promises';
import { executeBody, load } from '../load.mjs';
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

async function measure(server, triggerUUID, connections) {
  const run = { url: server.resultUrl(triggerUUID), method: 'GET', connections };
  await load(server, { ...run, seconds: settings.warmupSeconds });
  return load(server, { ...run, seconds: settings.seconds });
}

/** GET result and bare GET at `connections`: `{ bare, result }`. */
export async function resultBeside(dir, connections) {
  const bare = await startBare(dir, `bare-get-${connections}`);
  const bareFigures = await measure(bare, await execute(bare), connections);
  await bare.stop();

  const server = await startServer(dir, `result-${connections}`, tunedConfig({ workers: true }));
  const triggerUUID = await execute(server);
  await finished(server, triggerUUID);
  const result = await measure(server, triggerUUID, connections);
  await server.stop();
  return { bare: bareFigures, result };
}
