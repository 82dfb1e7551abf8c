// Dredd through the facade: a harness exposes the spec's operations and serves each by calling
// @autofacilitate/sdk against Prism, so every documented request and response goes through the
// facade's encoding and decoding and must still match the spec.
import { join } from 'node:path';
import { adminOperations, documentedTransactions, isXml } from '../src/documented-transactions';
import { runDredd } from '../src/dredd';
import { startFacadeHarness, type FacadeHarness } from '../src/facade-harness';
import { startPrism, type RunningPrism } from '../src/prism';

let prism: RunningPrism;
let harness: FacadeHarness;

beforeAll(async () => {
  prism = await startPrism();
  harness = await startFacadeHarness({ upstream: prism.url });
});

afterAll(async () => {
  await harness?.stop();
  await prism?.stop();
});

test('Dredd through the facade: every documented JSON transaction passes; XML variants and the throttled token are the only skips', async () => {
  const documented = documentedTransactions();
  const xml = documented.filter(isXml);
  // The facade retries a throttled token request, so the token endpoint's 429 never reaches its caller.
  const throttledToken = documented.filter(
    ({ operationId, status }) => operationId === 'getAccessToken' && status === 429,
  );

  // The facade has no admin operations (facade-skips.cjs).
  const admin = documented.filter(({ operationId }) => adminOperations.has(operationId));

  const result = await runDredd({
    endpoint: harness.url,
    hookfiles: [join(__dirname, '../dredd/hooks.cjs'), join(__dirname, '../dredd/facade-hooks.cjs')],
  });

  const { passing, failing, errors, skipped, total } = result;
  if (failing + errors > 0) console.error(result.output);
  expect({ passing, failing, errors, skipped, total }).toEqual({
    passing: documented.length - xml.length - throttledToken.length - admin.length,
    failing: 0,
    errors: 0,
    skipped: xml.length + throttledToken.length + admin.length,
    total: documented.length,
  });
  expect(result.output.match(/skip reason: .*\[application\/xml\]: Prism cannot parse XML/g)).toHaveLength(xml.length);
  expect(throttledToken).toHaveLength(1);
  expect(result.output.match(/skip reason: .*: the facade retries a throttled token request/g)).toHaveLength(1);
  expect(result.output.match(/skip reason: .*: the facade has no admin operations/g)).toHaveLength(admin.length);
});
