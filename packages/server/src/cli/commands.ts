import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { hashApiKey, hashClientSecret } from '../auth/secret-hash';
import { loadConfig } from '../config/load-config';
import { createServer } from '../server';
import { SqliteStore } from '../storage/sqlite/sqlite-store';
import { runUntilSignal } from './run-until-signal';

/** `start`: runs the server of a configuration file until SIGTERM or SIGINT. */
export async function start(configFile: string): Promise<void> {
  const server = await createServer(await loadConfig(configFile));
  runUntilSignal(server);
  await server.listen();
}

/** `hash-secret`: reads a client secret from standard input and prints the hash to configure. */
export async function hashSecret(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === '') throw new Error('The secret is empty');
    process.stdout.write(`${await hashClientSecret(line)}\n`);
    return;
  }
  throw new Error('Give the secret on standard input');
}

/** `new-api-key`: prints a fresh API key, for the caller, and its hash, for the configuration. */
export async function newApiKey(): Promise<void> {
  const apiKey = randomBytes(24).toString('base64url');
  process.stdout.write(`API key (give it to the caller): ${apiKey}\nhash (put it in the configuration): ${hashApiKey(apiKey)}\n`);
}

/** `usage`: prints the usage counters of a configuration's store, as JSON. */
export async function usage(configFile: string): Promise<void> {
  const config = await loadConfig(configFile);
  const store = new SqliteStore(config.storage.sqlite);
  try {
    process.stdout.write(`${JSON.stringify(await store.listUsage(), null, 2)}\n`);
  } finally {
    await store.close();
  }
}
