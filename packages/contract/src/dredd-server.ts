import { newCallbackSecret } from '@autofacilitate/server';
import { freshCredentials, startScratchServer, type ClientCredentials, type ScratchServer } from './scratch-server';

/** A real server configured the way `dredd/server-hooks.cjs` expects. */
export interface DreddServer extends ScratchServer {
  client: ClientCredentials;
  /** A client that may start one trigger, ever: the hooks spend it, so its next execute is a 429. */
  throttled: ClientCredentials;
  /** What the hooks read: where to make their own triggers, and with which credentials. */
  hookEnv(): NodeJS.ProcessEnv;
}

/**
 * Starts the server the Dredd suites run against: the spec's example organisation and service
 * (`orgId`, `ServerName`), the services the hooks drive to each status, and the fault switch that
 * exists in this test configuration only.
 */
export async function startDreddServer(origin: string): Promise<DreddServer> {
  const client = freshCredentials('contract-client');
  const throttled = freshCredentials('throttled-client');
  const adminKey = freshCredentials('admin').apiKey;
  const server = await startScratchServer(
    'dredd',
    {
      server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 0 },
      storage: { sqlite: { file: 'store.sqlite' } },
      workers: { pollIntervalMs: 50 },
      // An event stream ends within a transaction, as Dredd waits for the whole body.
      admin: { eventStreamSeconds: 1 },
      testing: { faultInjection: true },
      // The spec's examples name callback URLs on the internet: they are stored, never called.
      callbacks: { enabled: false },
      organisations: {
        orgId: {
          clients: { [client.clientId]: {}, [throttled.clientId]: { executeRate: { perSecond: 0.0001, burst: 1 } } },
          apiKeys: { contract: {}, throttled: {} },
          adminKeys: { contract: {} },
          callbackSecrets: [newCallbackSecret()],
          services: {
            ServerName: { kind: 'echo' },
            quiet: { kind: 'sleep', ms: 0 },
            sleeper: { kind: 'sleep', ms: 600_000, timeoutMs: 900_000 },
            'needs-customer': { kind: 'echo', requiredParameters: ['customerId'] },
          },
        },
      },
    },
    {
      origin,
      env: {
        AUTOFACILITATE_CLIENT_SECRET_CONTRACT_CLIENT: client.clientSecret,
        AUTOFACILITATE_API_KEY_ORGID_CONTRACT: client.apiKey,
        AUTOFACILITATE_CLIENT_SECRET_THROTTLED_CLIENT: throttled.clientSecret,
        AUTOFACILITATE_API_KEY_ORGID_THROTTLED: throttled.apiKey,
        AUTOFACILITATE_ADMIN_KEY_ORGID_CONTRACT: adminKey,
      },
    },
  );
  return {
    ...server,
    client,
    throttled,
    hookEnv: () => ({
      DREDD_ENDPOINT: server.url,
      DREDD_CLIENT_ID: client.clientId,
      DREDD_CLIENT_SECRET: client.clientSecret,
      DREDD_API_KEY: client.apiKey,
      DREDD_THROTTLED_CLIENT_ID: throttled.clientId,
      DREDD_THROTTLED_CLIENT_SECRET: throttled.clientSecret,
      DREDD_THROTTLED_API_KEY: throttled.apiKey,
      DREDD_ADMIN_KEY: adminKey,
      DREDD_STORE: JSON.stringify(server.store),
    }),
  };
}
