import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, newCallbackSecret, resolveConfig, type AutoFacilitateServer } from '@autofacilitate/server';
import { documentedTransactions } from '../src/documented-transactions';
import { runDredd } from '../src/dredd';

// The credentials of this run, made fresh, handed to the server and to the hooks.
const clientId = 'contract-client';
const clientSecret = randomBytes(16).toString('base64url');
const apiKey = randomBytes(16).toString('base64url');
// A client that may start one trigger, ever: the hooks spend it, so that its next execute is a 429.
const throttled = { clientId: 'throttled-client', clientSecret: randomBytes(16).toString('base64url'), apiKey: randomBytes(16).toString('base64url') };

let dir: string;
let server: AutoFacilitateServer;
let endpoint: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-dredd-'));
  // The spec's example organisation and service (orgId, ServerName), plus the services the hooks
  // drive to each status. The fault switch exists in this configuration only.
  const config = await resolveConfig(
    {
      server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 0 },
      storage: { sqlite: { file: 'store.sqlite' } },
      workers: { pollIntervalMs: 50 },
      testing: { faultInjection: true },
      // The spec's examples name callback URLs on the internet: they are stored, never called.
      callbacks: { enabled: false },
      organisations: {
        orgId: {
          clients: { [clientId]: {}, [throttled.clientId]: { executeRate: { perSecond: 0.0001, burst: 1 } } },
          apiKeys: { contract: {}, throttled: {} },
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
      origin: 'Dredd server configuration',
      baseDir: dir,
      env: {
        AUTOFACILITATE_CLIENT_SECRET_CONTRACT_CLIENT: clientSecret,
        AUTOFACILITATE_API_KEY_ORGID_CONTRACT: apiKey,
        AUTOFACILITATE_CLIENT_SECRET_THROTTLED_CLIENT: throttled.clientSecret,
        AUTOFACILITATE_API_KEY_ORGID_THROTTLED: throttled.apiKey,
      },
    },
  );
  server = await createServer(config);
  endpoint = await server.listen();
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

test('Dredd: every documented transaction of every operation passes against the server, XML variants included', async () => {
  const documented = documentedTransactions();

  const result = await runDredd({
    endpoint,
    hookfiles: [join(__dirname, '../dredd/server-hooks.cjs')],
    env: {
      DREDD_ENDPOINT: endpoint,
      DREDD_CLIENT_ID: clientId,
      DREDD_CLIENT_SECRET: clientSecret,
      DREDD_API_KEY: apiKey,
      DREDD_THROTTLED_CLIENT_ID: throttled.clientId,
      DREDD_THROTTLED_CLIENT_SECRET: throttled.clientSecret,
      DREDD_THROTTLED_API_KEY: throttled.apiKey,
    },
  });

  const { passing, failing, errors, skipped, total } = result;
  if (failing + errors > 0 || passing !== documented.length) console.error(result.output);
  expect({ passing, failing, errors, skipped, total }).toEqual({
    passing: documented.length,
    failing: 0,
    errors: 0,
    skipped: 0,
    total: documented.length,
  });
  // Both request body types of execute were sent.
  expect(result.output).toMatch(/\[application\/xml\] → POST/);
  expect(result.output).toMatch(/\[application\/json\] → POST/);
});
