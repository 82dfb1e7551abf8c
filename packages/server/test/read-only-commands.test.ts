// The commands that only read the store need no secrets: a configuration that leaves the secrets
// to the environment (as the demo's does) is enough without them.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { removeBuiltServer, startProcess } from './support/server-process';
import { rawTestConfig } from './support/test-config';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-read-only-'));
  file = join(dir, 'config.yaml');
  await writeFile(file, stringify(rawTestConfig(dir)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeBuiltServer();
});

test('deliveries reads the store without the client secrets and API keys', async () => {
  const child = await startProcess(
    'main.js',
    ['deliveries', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', '--config', file],
    {},
  );
  expect(await child.exited).toEqual({ code: 1, signal: null });
  // The store was read: the answer is about the trigger, not about missing secrets.
  expect(child.output()).toBe('No callback deliveries for the trigger 0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d\n');
});

test('usage reads the store without the client secrets and API keys', async () => {
  const child = await startProcess('main.js', ['usage', '--config', file], {});
  expect(await child.exited).toEqual({ code: 0, signal: null });
  expect(JSON.parse(child.output())).toEqual([]);
});

test("spec prints the OpenAPI document of this configuration's server, its limits in place of the spec's, without secrets", async () => {
  const limited = join(dir, 'limited.yaml');
  await writeFile(
    limited,
    stringify({ ...rawTestConfig(dir), limits: { triggerParameters: 7, callbackUrlLength: 300 } }),
  );
  const child = await startProcess('main.js', ['spec', '--config', limited], {});
  expect(await child.exited).toEqual({ code: 0, signal: null });
  const printed = JSON.parse(child.output());
  expect(printed.openapi).toBe('3.0.3');
  expect(printed.components.schemas.triggerParameters.maxProperties).toBe(7);
  expect(printed.components.schemas.urls.maxLength).toBe(300);
  expect(printed.components.schemas.callbackUrls.maxItems).toBe(5);
});

test('start still needs them, and names each', async () => {
  const child = await startProcess('main.js', ['start', '--config', file], {});
  expect(await child.exited).toEqual({ code: 1, signal: null });
  expect(child.output()).toContain(
    'organisations.acme.clients.acme-client.secretHash: missing (or set the environment variable AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT)',
  );
  expect(child.output()).toContain(
    'organisations.acme.apiKeys.main.hash: missing (or set the environment variable AUTOFACILITATE_API_KEY_ACME_MAIN)',
  );
});

test('demo keeps its data in --data-dir and says where', async () => {
  const data = join(dir, 'demo-data');
  const demo = await startProcess('main.js', ['demo', '--port', '0', '--data-dir', data], {});
  try {
    const banner = await demo.waitFor(/ {2}data: +(\S+) /);
    expect(banner[1]).toBe(data);
    await demo.waitFor(/Stop it with Ctrl-C\./);
  } finally {
    demo.child.kill('SIGTERM');
  }
  expect(await demo.exited).toEqual({ code: 0, signal: null });
  expect((await readdir(data)).sort()).toEqual(
    expect.arrayContaining(['autofacilitate.sqlite', 'demo-credentials.json']),
  );
});

test('--data-dir goes with demo only', async () => {
  const child = await startProcess('main.js', ['start', '--data-dir', dir, '--config', file], {});
  expect(await child.exited).toEqual({ code: 1, signal: null });
  expect(child.output()).toMatch(/^--data-dir and --port go with demo/);
});
