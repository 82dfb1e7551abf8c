import { join, resolve } from 'node:path';
import { runUntilSignal } from '../commands/run-until-signal';
import {
  adminKeyVariable,
  apiKeyVariable,
  callbackSecretVariable,
  clientSecretVariable,
} from '../config/env-overrides';
import { loadConfig } from '../config/load-config';
import { createServer } from '../server';
import { demoBanner } from './demo-banner';
import { demoCredentials } from './demo-credentials';

const orgId = 'demo';
const clientId = 'demo-client';
const apiKeyName = 'demo';
const adminKeyName = 'demo-admin';

/** Where the demo runs: its data folder (SQLite file, credentials) and, when given, its port. */
export interface DemoOptions {
  dataDir: string;
  port?: string;
}

/**
 * The demo: the server with the package's `demo/config.yaml`, its SQLite file and credentials in
 * `dataDir`, on 127.0.0.1:8080 unless `port` says otherwise. Secrets set in the environment win
 * over the generated ones. Runs until SIGTERM or SIGINT.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  const generated = demoCredentials(dataDir);
  const secretVariable = clientSecretVariable(clientId);
  const keyVariable = apiKeyVariable(orgId, apiKeyName);
  const callbackVariable = callbackSecretVariable(orgId);
  const clientSecret = process.env[secretVariable] || generated.clientSecret;
  const apiKey = process.env[keyVariable] || generated.apiKey;
  const callbackSecret = process.env[callbackVariable] || generated.callbackSecret;
  const adminVariable = adminKeyVariable(orgId, adminKeyName);
  const adminKey = process.env[adminVariable] || generated.adminKey;

  // The bundle sits in dist/; the demo configuration ships beside it in demo/.
  const config = await loadConfig(join(__dirname, '..', 'demo', 'config.yaml'), {
    ...process.env,
    [secretVariable]: clientSecret,
    [keyVariable]: apiKey,
    [callbackVariable]: callbackSecret,
    [adminVariable]: adminKey,
  });
  config.storage.sqlite.file = join(dataDir, 'autofacilitate.sqlite');
  if (options.port !== undefined) {
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port must be a port number, not ${options.port}`);
    config.server.port = port;
  }

  const server = await createServer(config);
  runUntilSignal(server);
  const url = await server.listen();
  process.stdout.write(
    demoBanner({
      url,
      orgId,
      clientId,
      clientSecret,
      apiKey,
      callbackSecret,
      adminKey,
      dataDir,
      services: Object.keys(config.organisations[orgId]?.services ?? {}),
    }),
  );
}
