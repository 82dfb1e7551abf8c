import { newCallbackSecret } from '@autofacilitate/server';
import { freshCredentials, startScratchServer, type ClientCredentials, type ScratchServer } from './scratch-server';

/** A real server with the demo organisation and services, for a fuzzer to hammer. */
export interface FuzzServer extends ScratchServer {
  client: ClientCredentials;
  /** The demo organisation's admin key. */
  adminKey: string;
}

/**
 * Starts the server on a free port with a fresh data directory and the demo's organisation
 * (`demo`) and services (`echo`, `sleep`, `fail`). Callbacks are off: a fuzzer's URLs are stored,
 * never called. The client's rate is high enough that only the fuzzer's own speed limits it.
 */
export async function startFuzzServer(origin: string): Promise<FuzzServer> {
  const client = freshCredentials('fuzz-client');
  const adminKey = freshCredentials('fuzz-admin').apiKey;
  const server = await startScratchServer(
    'fuzz',
    {
      server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 0 },
      storage: { sqlite: { file: 'store.sqlite' } },
      callbacks: { enabled: false },
      // The fuzzer also sends wrong credentials on purpose: they must not lock its client out.
      limits: {
        executeRate: { perSecond: 1_000_000, burst: 1_000_000 },
        failedAuthentications: { perSecond: 1_000_000, burst: 1_000_000 },
      },
      organisations: {
        demo: {
          clients: { [client.clientId]: {} },
          apiKeys: { fuzz: {} },
          adminKeys: { fuzz: {} },
          callbackSecrets: [newCallbackSecret()],
          services: {
            echo: { kind: 'echo' },
            sleep: { kind: 'sleep', ms: 10 },
            fail: { kind: 'fail', message: 'The demo service failed on purpose' },
          },
        },
      },
    },
    {
      origin,
      env: {
        AUTOFACILITATE_CLIENT_SECRET_FUZZ_CLIENT: client.clientSecret,
        AUTOFACILITATE_API_KEY_DEMO_FUZZ: client.apiKey,
        AUTOFACILITATE_ADMIN_KEY_DEMO_FUZZ: adminKey,
      },
    },
  );
  return { ...server, client, adminKey };
}
