import type { AutoFacilitateServer } from '@autofacilitate/server';
import { startAcmeServer } from '../../../contract/test/support/acme-server';

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
  const acme = await startAcmeServer({
    name: 'cli-server',
    clientId: 'cli-client',
    apiKeyName: 'cli',
    services: {
      echo: { kind: 'echo' },
      nap: { kind: 'sleep', ms: 60_000, timeoutMs: 120_000 },
      quiet: { kind: 'sleep', ms: 0 },
      'needs-customer': { kind: 'echo', requiredParameters: ['customerId', 'channel'] },
    },
  });
  return {
    url: acme.baseUrl,
    server: acme.server,
    clientSecret: acme.clientSecret,
    apiKey: acme.apiKey,
    env: {
      AUTOFACILITATE_BASE_URL: acme.baseUrl,
      AUTOFACILITATE_ORG_ID: 'acme',
      AUTOFACILITATE_CLIENT_ID: 'cli-client',
      AUTOFACILITATE_CLIENT_SECRET: acme.clientSecret,
      AUTOFACILITATE_API_KEY: acme.apiKey,
    },
    close: () => acme.close(),
  };
}
