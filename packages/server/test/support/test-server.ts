import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServer,
  type AutoFacilitateServer,
  type Resolver,
  type ServerConfig,
  type ServerOptions,
} from '../../src';
import { secrets, testConfig, type RawConfig } from './test-config';
import { tokenFor, type Caller, type Runner } from './api-client';
import { triggerFinished } from './server-events';

/** A server listening on a free port of 127.0.0.1, with its SQLite file in a temporary folder. */
export interface TestServer extends Runner {
  url: string;
  server: AutoFacilitateServer;
  config: ServerConfig;
  dir: string;
  /** A caller of `acme` with a fresh token and acme's API key. */
  acme(): Promise<Caller>;
  /** A caller of `globex`. */
  globex(): Promise<Caller>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/** Tests resolve no name unless they say what it resolves to: no query leaves the machine. */
export const noNames: Resolver = {
  resolve: async (hostname) => {
    throw Object.assign(new Error(`${hostname} is not a name of this test`), { code: 'ENOTFOUND' });
  },
};

/** Starts a test server; `adjust` changes the raw configuration first. */
export async function startTestServer(
  adjust?: (raw: RawConfig) => void,
  options: ServerOptions = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-server-'));
  const config = await testConfig(dir, adjust);
  const server = await createServer(config, { resolver: noNames, ...options });
  const url = await server.listen();
  return {
    url,
    server,
    config,
    dir,
    finished: (orgId, triggerUUID) => triggerFinished(server, orgId, triggerUUID),
    acme: async () => ({ token: await tokenFor(url, 'acme-client', secrets.acmeClient), apiKey: secrets.acmeKey }),
    globex: async () => ({
      token: await tokenFor(url, 'globex-client', secrets.globexClient),
      apiKey: secrets.globexKey,
    }),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
