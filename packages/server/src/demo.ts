import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runUntilSignal } from './cli/run-until-signal';
import { ConfigError } from './errors/catalogue';
import { apiKeyVariable, callbackSecretVariable, clientSecretVariable } from './config/env-overrides';
import { loadConfig } from './config/load-config';
import { demoBanner } from './demo/demo-banner';
import { demoCredentials } from './demo/demo-credentials';
import { createServer } from './server';

const orgId = 'demo';
const clientId = 'demo-client';
const apiKeyName = 'demo';

/**
 * The demo: the server with `demo/config.yaml`, its SQLite file and credentials in a data folder
 * (`packages/server/data` unless `--data` names another), on 127.0.0.1:8080 unless `--port` says
 * otherwise. Secrets set in the environment win over the generated ones.
 */
async function demo(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, data: { type: 'string' } } });
  const packageDir = join(__dirname, '..');
  const dataDir = resolve(values.data ?? join(packageDir, 'data'));
  const generated = demoCredentials(dataDir);
  const secretVariable = clientSecretVariable(clientId);
  const keyVariable = apiKeyVariable(orgId, apiKeyName);
  const callbackVariable = callbackSecretVariable(orgId);
  const clientSecret = process.env[secretVariable] || generated.clientSecret;
  const apiKey = process.env[keyVariable] || generated.apiKey;
  const callbackSecret = process.env[callbackVariable] || generated.callbackSecret;

  const config = await loadConfig(join(packageDir, 'demo', 'config.yaml'), {
    ...process.env,
    [secretVariable]: clientSecret,
    [keyVariable]: apiKey,
    [callbackVariable]: callbackSecret,
  });
  config.storage.sqlite.file = join(dataDir, 'autofacilitate.sqlite');
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`);
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
      database: config.storage.sqlite.file,
      services: Object.keys(config.organisations[orgId]?.services ?? {}),
    }),
  );
}

demo(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? 'Configuration error: ' : ''}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
