// The built CLI against the Prism mock: every command that calls the API, as a user runs it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { startPrism, type RunningPrism } from '../src/prism';

const cli = join(workspaceRoot, 'packages/cli/dist/cli.js');
let prism: RunningPrism;

beforeAll(async () => {
  prism = await startPrism();
});

afterAll(async () => {
  await prism?.stop();
});

function autofacilitate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    AUTOFACILITATE_BASE_URL: prism.url,
    AUTOFACILITATE_ORG_ID: 'acme',
    AUTOFACILITATE_CLIENT_ID: 'cli-client',
    AUTOFACILITATE_CLIENT_SECRET: 'cli-secret',
    AUTOFACILITATE_API_KEY: 'cli-key',
    XDG_CONFIG_HOME: '/nonexistent',
  };
  return new Promise((resolveRun) =>
    execFile(nodeBinary, [cli, ...args], { env }, (error, stdout, stderr) =>
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

test('token prints the access token alone', async () => {
  const { code, stdout } = await autofacilitate('token');
  expect(code).toBe(0);
  expect(stdout.trim()).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
});

test('execute prints the triggerUUID', async () => {
  const { code, stdout, stderr } = await autofacilitate(
    'execute',
    'ServerName',
    '-p',
    'key=value',
    '--callback',
    'https://mycompany.com/callbacks/id=123',
  );
  expect(code).toBe(0);
  expect(stdout).toBe('1234\n');
  expect(stderr).toContain('Successfully triggered ServerName@orgId');
});

test('execute --wait --json prints the outcome as JSON', async () => {
  const { code, stdout } = await autofacilitate(
    'execute',
    'ServerName',
    '-p',
    'key=value',
    '--wait',
    '--timeout',
    '30',
    '--json',
  );
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded', output: { key: 'value' } });
});

test('result prints the outcome for people', async () => {
  const { code, stdout } = await autofacilitate('result', 'ServerName', '1234');
  expect(code).toBe(0);
  expect(stdout).toMatch(/^succeeded {2}ServerName {2}\S+\n\{\n {2}"key": "value"\n\}\n$/);
});

test('a request the mock refuses exits with the validation code', async () => {
  // Prism cannot parse XML, so it answers the spec's 422: the CLI reports it as a refusal.
  const { code, stderr } = await autofacilitate('execute', 'ServerName', '--xml', '-p', 'key=value');
  expect(code).toBe(5);
  // The message is the server's detail (errors[].message), not the headline.
  expect(stderr).toBe('error: The request could not be processed (status 422)\n');
});
