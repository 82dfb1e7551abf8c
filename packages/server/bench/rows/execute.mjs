// Execute against the bare Fastify server that does one SQLite insert per request, each server
// alone while it is measured, after a warm-up, on a fresh database, at each durability level; then
// execute under other settings at 100 connections.
import { executeBody, load } from '../load.mjs';
import { startBare, startServer, tunedConfig } from '../servers.mjs';
import { settings } from '../settings.mjs';

async function measure(server, connections) {
  await load(server, { body: executeBody, connections, seconds: settings.warmupSeconds });
  return load(server, { body: executeBody, connections, seconds: settings.seconds });
}

/** The bare insert alone at `connections` and `synchronous`: the anchor of a row. */
export async function bareInsert(dir, connections, synchronous) {
  const bare = await startBare(dir, `bare-${synchronous.toLowerCase()}-${connections}`, synchronous);
  const figures = await measure(bare, connections);
  await bare.stop();
  return figures;
}

/**
 * Execute with its workers off, and bare, at `connections`, both at one `synchronous` level: a
 * server is compared with a baseline that keeps what it acknowledges as well as it does.
 */
export async function executeBeside(dir, connections, synchronous) {
  const name = `${synchronous.toLowerCase()}-${connections}`;
  const bareFigures = await bareInsert(dir, connections, synchronous);
  const api = await startServer(dir, `api-${name}`, tunedConfig({ workers: false, synchronous }));
  const execute = await measure(api, connections);
  await api.stop();
  return { synchronous, bare: bareFigures, execute };
}

/** Execute at 100 connections under each setting that changes its cost, by the row's name. */
export async function executeSettings(dir) {
  const runs = [
    ['execute, workers running', tunedConfig({ workers: true })],
    ['execute, info logs', tunedConfig({ workers: false, logLevel: 'info' })],
  ];
  const measured = [];
  for (const [index, [name, config]] of runs.entries()) {
    const server = await startServer(dir, `settings-${index}`, config);
    measured.push([name, await measure(server, 100)]);
    await server.stop();
  }
  return measured;
}
