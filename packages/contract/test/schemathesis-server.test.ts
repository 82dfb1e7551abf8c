import { startFuzzServer, type FuzzServer } from '../src/fuzz-server';
import { runSchemathesis } from '../src/schemathesis';

let server: FuzzServer;

beforeAll(async () => {
  server = await startFuzzServer('Schemathesis server configuration');
});

afterAll(async () => {
  await server?.stop();
});

// Every check Schemathesis has: tools/schemathesis/left-out-checks.md narrows some, and leaves none out.
const everyCheck = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'unsupported_method',
  'allow_header_conformance',
  'use_after_free',
  'ensure_resource_availability',
  'ignored_auth',
  'object_level_authorization',
];

test('Schemathesis: every check, positive and negative data and the stateful phase find no failure in the server', async () => {
  const result = await runSchemathesis(server.url, server.client, server.adminKey);
  console.log(
    `Schemathesis: ${result.cases} cases, ${result.failures} failures; checks run: ${Object.entries(result.checks)
      .map(([name, count]) => `${name} ×${count}`)
      .join(', ')}`,
  );
  if (result.failures > 0 || result.exitCode !== 0) console.error(result.output);

  expect(result.failures).toBe(0);
  expect(result.exitCode).toBe(0);
  expect(result.cases).toBeGreaterThanOrEqual(5000);
  expect(result.output).toMatch(/✅ Stateful/);
  expect(Object.keys(result.checks).sort()).toEqual(expect.arrayContaining(everyCheck.sort()));
  // About 5,200 cases, with the server in this process: under ten minutes on a 2-core machine
  // that other test runs share.
}, 1_800_000);
