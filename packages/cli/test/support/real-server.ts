import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, resolveConfig, type AutoFacilitateServer } from '@autofacilitate/server';
import { useTestStorage } from '../../../server/test/support/test-storage';

/**
 * The real server on 127.0.0.1, its SQLite file in a scratch folder (a fresh PostgreSQL database in
 * a run on PostgreSQL: AUTOFACILITATE_TEST_STORAGE=postgres), and the CLI's environment for it.
 */
export interface RealServer {
  url: string;
  server: AutoFacilitateServer;
  /** AUTOFACILITATE_* settings that reach organisation `acme` as client `cli-client`. */
  env: Record<string, string>;
  clientSecret: string;
  apiKey: string;
  close(): Promise<void>;
}

/**
 * Starts the server with organisation `acme`: `echo`, `nap` (sleeps the trigger's `ms`, 60 s by
 * default), `quiet` (no output: 204) and `needs-customer` (refuses a trigger without two parameters).
 */
export async function startRealServer(): Promise<RealServer> {
  const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-cli-server-'));
  const clientSecret = randomBytes(16).toString('base64url');
  const apiKey = randomBytes(16).toString('base64url');
  const settings = {
    server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 0 },
    storage: { sqlite: { file: 'store.sqlite' } },
    workers: { pollIntervalMs: 50 },
    callbacks: { enabled: false },
    organisations: {
      acme: {
        clients: { 'cli-client': {} },
        apiKeys: { cli: {} },
        services: {
          echo: { kind: 'echo' },
          nap: { kind: 'sleep', ms: 60_000, timeoutMs: 120_000 },
          quiet: { kind: 'sleep', ms: 0 },
          'needs-customer': { kind: 'echo', requiredParameters: ['customerId', 'channel'] },
        },
      },
    },
  };
  await useTestStorage(settings, dir);
  const config = await resolveConfig(settings, {
    origin: 'CLI test configuration',
    baseDir: dir,
    env: { AUTOFACILITATE_CLIENT_SECRET_CLI_CLIENT: clientSecret, AUTOFACILITATE_API_KEY_ACME_CLI: apiKey },
  });
  const server = await createServer(config);
  const url = await server.listen();
  return {
    url,
    server,
    clientSecret,
    apiKey,
    env: {
      AUTOFACILITATE_BASE_URL: url,
      AUTOFACILITATE_ORG_ID: 'acme',
      AUTOFACILITATE_CLIENT_ID: 'cli-client',
      AUTOFACILITATE_CLIENT_SECRET: clientSecret,
      AUTOFACILITATE_API_KEY: apiKey,
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
