// Dredd through the facade with the real server upstream: every documented transaction, XML
// variants included, goes through @autofacilitate/sdk's encoding and decoding. The only skips are
// transactions that need a request the facade never sends, each with its reason.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, newCallbackSecret, resolveConfig, type AutoFacilitateServer } from '@autofacilitate/server';
import { documentedTransactions, isXml } from '../src/documented-transactions';
import { runDredd } from '../src/dredd';
import { startFacadeHarness, type FacadeHarness } from '../src/facade-harness';

const clientId = 'contract-client';
const clientSecret = randomBytes(16).toString('base64url');
const apiKey = randomBytes(16).toString('base64url');
// A client that may start one trigger, ever: the hooks spend it, so that its next execute is a 429.
const throttled = { clientId: 'throttled-client', clientSecret: randomBytes(16).toString('base64url'), apiKey: randomBytes(16).toString('base64url') };

let dir: string;
let server: AutoFacilitateServer;
let upstream: string;
let harness: FacadeHarness;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-facade-dredd-'));
  // What server-hooks.cjs expects: the spec's example organisation and service, the services it
  // drives to each status, and the fault switch for the 500s.
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
      origin: 'facade Dredd server configuration',
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
  upstream = await server.listen();
  harness = await startFacadeHarness({
    upstream,
    credentials: { clientId, clientSecret },
    credentialsByApiKey: { [throttled.apiKey]: { clientId: throttled.clientId, clientSecret: throttled.clientSecret } },
  });
});

afterAll(async () => {
  await harness?.stop();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('Dredd through the facade against the server: every transaction the facade can send passes, XML included', async () => {
  const documented = documentedTransactions();
  // The requests the facade never sends (facade-server-hooks.cjs says why for each).
  const unreachable = documented.filter(
    ({ operationId, requestContentType, status }) =>
      (operationId === 'getAccessToken' && status === 400) ||
      (operationId === 'executeService' && status === 415) ||
      (operationId === 'executeService' && status === 400 && requestContentType === 'application/xml'),
  );

  const result = await runDredd({
    endpoint: harness.url,
    hookfiles: [join(__dirname, '../dredd/server-hooks.cjs'), join(__dirname, '../dredd/facade-server-hooks.cjs')],
    // The hooks make their triggers directly on the server; Dredd's requests go through the harness.
    env: {
      DREDD_ENDPOINT: upstream,
      DREDD_CLIENT_ID: clientId,
      DREDD_CLIENT_SECRET: clientSecret,
      DREDD_API_KEY: apiKey,
      DREDD_THROTTLED_CLIENT_ID: throttled.clientId,
      DREDD_THROTTLED_CLIENT_SECRET: throttled.clientSecret,
      DREDD_THROTTLED_API_KEY: throttled.apiKey,
    },
  });

  const { passing, failing, errors, skipped, total } = result;
  if (failing + errors > 0) console.error(result.output);
  expect(unreachable).toHaveLength(4);
  expect({ passing, failing, errors, skipped, total }).toEqual({
    passing: documented.length - unreachable.length,
    failing: 0,
    errors: 0,
    skipped: unreachable.length,
    total: documented.length,
  });
  expect(result.output.match(/skip reason: .*: the facade (always asks|sends JSON or XML only|writes well-formed XML only)/g)).toHaveLength(unreachable.length);
  // XML went through the facade: every XML variant but the malformed-body one passed.
  const xmlSent = (result.output.match(/server hooks: .*\[application\/xml\] → POST/g) ?? []).length;
  expect(xmlSent).toBe(documented.filter(isXml).length);
});
