import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { hashApiKey, hashClientSecret } from '../auth/secret-hash';
import { newCallbackSecret as makeCallbackSecret } from '../callbacks/callback-secret';
import { loadConfig } from '../config/load-config';
import type { ServerRole } from '../config/server-role';
import { createServer } from '../server';
import { effectiveSpec } from '../spec/load-spec';
import { openStorage } from '../storage/open-storage';
import { runUntilSignal } from './run-until-signal';

/** `serve` (or `start`): runs the server of a configuration file in its role until SIGTERM or SIGINT. */
export async function serve(configFile: string, role: ServerRole): Promise<void> {
  const server = await createServer(await loadConfig(configFile), { role });
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
  process.stdout.write(
    `API key (give it to the caller): ${apiKey}\nhash (put it in the configuration): ${hashApiKey(apiKey)}\n`,
  );
}

/** `usage`: prints the usage counters of a configuration's store, as JSON; read-only, so it needs no secrets. */
export async function usage(configFile: string): Promise<void> {
  const config = await loadConfig(configFile, process.env, { withoutSecrets: true });
  const store = await openStorage(config, { poolSize: 1 });
  try {
    process.stdout.write(`${JSON.stringify(await store.usage.listUsage(), null, 2)}\n`);
  } finally {
    await store.close();
  }
}

/** `new-callback-secret`: prints a fresh `whsec_` secret to sign an organisation's callbacks with. */
export async function newCallbackSecret(): Promise<void> {
  process.stdout.write(`${makeCallbackSecret()}\n`);
}

/**
 * `deliveries <triggerUUID>`: prints the callback deliveries of a trigger, each with every attempt
 * made at it, as JSON; times as ISO dates. Read-only, so it needs no secrets.
 */
export async function deliveries(configFile: string, triggerUUID: string): Promise<void> {
  const config = await loadConfig(configFile, process.env, { withoutSecrets: true });
  const store = await openStorage(config, { poolSize: 1 });
  try {
    const found = await store.deliveries.findDeliveries(triggerUUID.toLowerCase());
    if (found.length === 0) throw new Error(`No callback deliveries for the trigger ${triggerUUID}`);
    const dated = (key: string, value: unknown) =>
      /At$/.test(key) && typeof value === 'number' ? new Date(value).toISOString() : value;
    process.stdout.write(`${JSON.stringify(found, dated, 2)}\n`);
  } finally {
    await store.close();
  }
}

/**
 * `spec`: prints the OpenAPI document a server of this configuration answers to, as JSON: the
 * spec, with the configured limits in place of its own, for that server's callers, their
 * generated clients and its docs. Reads no secret.
 */
export async function spec(configFile: string): Promise<void> {
  const config = await loadConfig(configFile, process.env, { withoutSecrets: true });
  process.stdout.write(`${JSON.stringify(await effectiveSpec(config.limits), null, 2)}\n`);
}
