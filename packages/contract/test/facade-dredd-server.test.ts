// Dredd through the facade with the real server upstream: every documented transaction, XML
// variants included, goes through @autofacilitate/sdk's encoding and decoding. The only skips are
// transactions that need a request the facade never sends, each with its reason.
import { join } from 'node:path';
import { adminOperations, documentedTransactions, isXml } from '../src/documented-transactions';
import { runDredd } from '../src/dredd';
import { startDreddServer, type DreddServer } from '../src/dredd-server';
import { startFacadeHarness, type FacadeHarness } from '../src/facade-harness';

let server: DreddServer;
let harness: FacadeHarness;

beforeAll(async () => {
  server = await startDreddServer('facade Dredd server configuration');
  const { client, throttled } = server;
  harness = await startFacadeHarness({
    upstream: server.url,
    credentials: { clientId: client.clientId, clientSecret: client.clientSecret },
    credentialsByApiKey: { [throttled.apiKey]: { clientId: throttled.clientId, clientSecret: throttled.clientSecret } },
  });
});

afterAll(async () => {
  await harness?.stop();
  await server?.stop();
});

test('Dredd through the facade against the server: every transaction the facade can send passes, XML included', async () => {
  const documented = documentedTransactions();
  // The requests the facade never sends (facade-server-hooks.cjs says why for each).
  const unreachable = documented.filter(
    ({ operationId, requestContentType, status }) =>
      (operationId === 'getAccessToken' && (status === 400 || status === 429)) ||
      (operationId === 'getTriggerResult' && status === 400) ||
      (operationId === 'executeService' && status === 415) ||
      (operationId === 'executeService' && status === 400 && requestContentType === 'application/xml'),
  );
  const admin = documented.filter(({ operationId }) => adminOperations.has(operationId));

  const result = await runDredd({
    endpoint: harness.url,
    hookfiles: [join(__dirname, '../dredd/server-hooks.cjs'), join(__dirname, '../dredd/facade-server-hooks.cjs')],
    // The hooks make their triggers directly on the server; Dredd's requests go through the harness.
    env: server.hookEnv(),
  });

  const { passing, failing, errors, skipped, total } = result;
  if (failing + errors > 0) console.error(result.output);
  expect(unreachable).toHaveLength(6);
  expect({ passing, failing, errors, skipped, total }).toEqual({
    passing: documented.length - unreachable.length - admin.length,
    failing: 0,
    errors: 0,
    skipped: unreachable.length + admin.length,
    total: documented.length,
  });
  expect(result.output.match(/skip reason: .*: the facade has no admin operations/g)).toHaveLength(admin.length);
  expect(
    result.output.match(
      /skip reason: .*: the facade (always asks|retries a throttled|percent-encodes|sends JSON or XML only|writes well-formed XML only)/g,
    ),
  ).toHaveLength(unreachable.length);
  // XML went through the facade: every XML variant but the malformed-body one passed.
  const xmlSent = (result.output.match(/server hooks: .*\[application\/xml\] → POST/g) ?? []).length;
  expect(xmlSent).toBe(documented.filter(isXml).length);
});
