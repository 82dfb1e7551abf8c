import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, newCallbackSecret, resolveConfig, type AutoFacilitateServer } from '@autofacilitate/server';
import { useTestStorage } from '../../../server/test/support/test-storage';

/** What a suite asks of the real server it runs against. */
export interface AcmeServerOptions {
  /** Names the temporary folder and the configuration in messages. */
  name: string;
  /** The client id, and the name of the API key. */
  clientId: string;
  apiKeyName: string;
  services: Record<string, Record<string, unknown>>;
  /** Also an admin key (`ops`) for the admin operations. */
  admin?: boolean;
}

/** The real server with one organisation, `acme`, and the credentials to call it. */
export interface AcmeServer {
  server: AutoFacilitateServer;
  baseUrl: string;
  clientSecret: string;
  apiKey: string;
  adminKey: string;
  close(): Promise<void>;
}

/**
 * Starts the real server on 127.0.0.1 with a SQLite file in a temporary folder (a fresh PostgreSQL
 * database in a run on PostgreSQL: AUTOFACILITATE_TEST_STORAGE=postgres). Callbacks are
 * stored and never sent (callbacks-sdk.test.ts delivers them), so deliveries stay pending.
 */
export async function startAcmeServer(options: AcmeServerOptions): Promise<AcmeServer> {
  const secret = () => randomBytes(16).toString('base64url');
  const [clientSecret, apiKey, adminKey] = [secret(), secret(), secret()];
  const envName = (name: string) => name.toUpperCase().replaceAll('-', '_');
  const dir = await mkdtemp(join(tmpdir(), `autofacilitate-${options.name}-`));
  const settings = {
    server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 0 },
    storage: { sqlite: { file: 'store.sqlite' } },
    workers: { pollIntervalMs: 50 },
    callbacks: { enabled: false },
    organisations: {
      acme: {
        clients: { [options.clientId]: {} },
        apiKeys: { [options.apiKeyName]: {} },
        ...(options.admin && { adminKeys: { ops: {} } }),
        callbackSecrets: [newCallbackSecret()],
        services: options.services,
      },
    },
  };
  await useTestStorage(settings, dir);
  const config = await resolveConfig(settings, {
    origin: `${options.name} configuration`,
    baseDir: dir,
    env: {
      [`AUTOFACILITATE_CLIENT_SECRET_${envName(options.clientId)}`]: clientSecret,
      [`AUTOFACILITATE_API_KEY_ACME_${envName(options.apiKeyName)}`]: apiKey,
      ...(options.admin && { AUTOFACILITATE_ADMIN_KEY_ACME_OPS: adminKey }),
    },
  });
  let server: AutoFacilitateServer;
  let baseUrl: string;
  try {
    server = await createServer(config);
    baseUrl = await server.listen();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    baseUrl,
    clientSecret,
    apiKey,
    adminKey,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
