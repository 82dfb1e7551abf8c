import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../src/exit-codes';
import { startRecordingServer, type Recorded } from './support/recording-server';
import { runCli } from './support/run-cli';

const credentials = {
  AUTOFACILITATE_ORG_ID: 'acme',
  AUTOFACILITATE_CLIENT_ID: 'env-client',
  AUTOFACILITATE_CLIENT_SECRET: 'env-secret',
  AUTOFACILITATE_API_KEY: 'env-key',
};

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-cli-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A port nothing listens on: the kernel gave it to us, and we gave it back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((closed) => probe.close(() => closed()));
  return port;
}

function profileFile(content: string): string {
  const path = join(scratch, `profiles-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  return path;
}

describe('help and version', () => {
  test('--help lists every command, the settings and the exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['token', 'execute', 'result', 'serve', 'mock'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(stdout).toContain('AUTOFACILITATE_CLIENT_SECRET');
    expect(stdout).toContain('Exit codes:');
  });

  test('execute --help documents its options', async () => {
    const { code, stdout } = await runCli(['execute', '--help']);
    expect(code).toBe(0);
    for (const option of ['--param', '--callback', '--xml', '--idempotency-key', '--wait', '--timeout'])
      expect(stdout).toContain(option);
  });

  test.each(['execute', 'result'])('%s --help says how long --wait waits without --timeout', async (command) => {
    const { stdout } = await runCli([command, '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      '--timeout <seconds> with --wait: stop waiting after this many seconds (default: 120); the trigger goes on',
    );
  });

  test('--help says that without --base-url the CLI calls Alvaria Cloud, which needs --region', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      '(without it: Alvaria Cloud, https://{orgId}.via.aspect-cloud.net, which needs --region)',
    );
    expect(stdout).not.toMatch(/seed/i);
  });

  test('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('bad input: one line on stderr, exit 2, nothing on stdout', () => {
  test.each([
    [['execute', 'echo', '--frobnicate'], /unknown option '--frobnicate'/],
    [['launch'], /unknown command 'launch'/],
    [['execute'], /missing required argument 'vsn'/],
    [['result', 'echo'], /missing required argument 'triggerUUID'/],
    [['execute', 'echo', '-p', 'no-equals-sign'], /malformed -p "no-equals-sign": expected key=value/],
    [['execute', 'echo', '-p', '=value'], /malformed -p "=value"/],
    [['execute', 'echo', '-p', 'a=1', '-p', 'a=2'], /-p "a" is given twice/],
    [['execute', 'echo', '--timeout', '5'], /--timeout goes with --wait/],
    [['result', 'echo', 'trigger-1', '--timeout', '5'], /--timeout goes with --wait/],
    [['serve', '--config', 'x.yaml', '--data-dir', 'd'], /--data-dir and --port go with the demo/],
    [['execute', 'echo', '--wait', '--timeout', 'soon'], /--timeout must be a positive number of seconds, not "soon"/],
    [['mock', '--port', '99999'], /--port must be a port between 1 and 65535/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, {
      ...credentials,
      AUTOFACILITATE_BASE_URL: 'http://127.0.0.1:9',
    });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  test('missing credentials name every way to give them', async () => {
    const { code, stdout, stderr } = await runCli(['execute', 'echo'], {
      AUTOFACILITATE_ORG_ID: 'acme',
      AUTOFACILITATE_BASE_URL: 'http://127.0.0.1:9',
    });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('missing --client-id (or AUTOFACILITATE_CLIENT_ID, or "clientId" in profile "default")');
    expect(stderr).toContain('--client-secret');
    expect(stderr).toContain('--api-key');
  });

  test('token asks only for what the token service takes: no API key, no organisation', async () => {
    const { code, stdout, stderr } = await runCli(['token'], { AUTOFACILITATE_BASE_URL: 'http://127.0.0.1:9' });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(
      'missing --client-id (or AUTOFACILITATE_CLIENT_ID, or "clientId" in profile "default"), --client-secret',
    );
    expect(stderr).not.toContain('--api-key');
    expect(stderr).not.toContain('--org-id');
  });

  test('--json makes every failure JSON, usage errors included', async () => {
    for (const args of [
      ['execute', 'echo', '--frobnicate', '--json'],
      ['--json', 'launch'],
      ['execute', 'echo', '--json', '-p', 'oops'],
    ]) {
      const { code, stdout } = await runCli(args, { ...credentials, AUTOFACILITATE_BASE_URL: 'http://127.0.0.1:9' });
      expect(code).toBe(2);
      expect(JSON.parse(stdout)).toEqual({ error: { name: 'UsageError', message: expect.any(String), exitCode: 2 } });
    }
    const { stdout } = await runCli(['execute', 'echo', '--frobnicate', '--json'], credentials);
    expect(JSON.parse(stdout).error.message).toBe("unknown option '--frobnicate'");
  });

  test('a refused connection names the URL and asks whether the server is running', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await runCli(['token'], {
      ...credentials,
      AUTOFACILITATE_BASE_URL: `http://127.0.0.1:${port}`,
    });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `error: getAccessToken could not connect to http://127.0.0.1:${port}/tokenservice/oauth2/access_token (ECONNREFUSED): is the server running?\n`,
    );
  });

  test('without a base URL or region it says where to point', async () => {
    const { code, stderr } = await runCli(['token'], credentials);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--base-url .* --region/);
  });

  test('a malformed base URL is refused before any call', async () => {
    const { code, stderr } = await runCli(['token'], { ...credentials, AUTOFACILITATE_BASE_URL: 'not a url' });
    expect(code).toBe(2);
    expect(stderr).toContain('baseUrl must be an absolute URL');
  });

  test.each([
    ['{ not json', /is not valid JSON/],
    ['[]', /must hold an object of profiles/],
    ['{"default": {"clientSecrte": "x"}}', /unknown key "clientSecrte"/],
    ['{"default": {"apiKey": 42}}', /"apiKey" must be a non-empty string/],
  ])('a bad profile file (%s) is named with what is wrong', async (content, message) => {
    const { code, stderr } = await runCli(['token', '--profile-file', profileFile(content)], credentials);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('a profile asked for by name must exist', async () => {
    const { code, stderr } = await runCli(
      ['token', '--profile', 'staging', '--profile-file', profileFile('{"default": {}}')],
      credentials,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('profile "staging" is not in');
  });

  test('--debug adds the stack', async () => {
    const { code, stderr } = await runCli(['token', '--debug', '--base-url', 'not a url'], credentials);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\n\s+at /);
  });
});

describe('settings: flags, then environment, then profile', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeAll(async () => (server = await startRecordingServer()));
  afterAll(() => server.close());

  const lastExecute = (): Recorded =>
    server.requests.filter((request) => request.url.includes('/execute/')).at(-1) as Recorded;
  const lastToken = (): Recorded =>
    server.requests.filter((request) => request.url.includes('/tokenservice/')).at(-1) as Recorded;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  test('the profile alone is enough', async () => {
    const profiles = profileFile(
      JSON.stringify({
        default: {
          orgId: 'profile-org',
          baseUrl: server.url,
          clientId: 'profile-client',
          clientSecret: 'profile-secret',
          apiKey: 'profile-key',
        },
      }),
    );
    const { code, stdout, stderr } = await runCli(['execute', 'echo', '-p', 'key=a=b', '--profile-file', profiles]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'Successfully triggered\n' });
    expect(stdout).toBe('trigger-1\n');
    expect(lastExecute().url).toBe('/via/v2/organizations/profile-org/autoFacilitate/execute/echo');
    expect(lastExecute().headers['x-api-key']).toBe('profile-key');
    expect(JSON.parse(lastExecute().body)).toEqual({ triggerParameters: { key: 'a=b' } });
    expect(lastToken().headers.authorization).toBe(basic('profile-client', 'profile-secret'));
  });

  test('the environment wins over the profile, and a flag over both', async () => {
    const profiles = profileFile(
      JSON.stringify({
        ci: {
          orgId: 'profile-org',
          baseUrl: server.url,
          clientId: 'profile-client',
          clientSecret: 'profile-secret',
          apiKey: 'profile-key',
        },
      }),
    );
    const env = {
      AUTOFACILITATE_PROFILE_FILE: profiles,
      AUTOFACILITATE_PROFILE: 'ci',
      AUTOFACILITATE_ORG_ID: 'env-org',
      AUTOFACILITATE_API_KEY: 'env-key',
    };
    const { code } = await runCli(
      ['execute', 'echo', '--org-id', 'flag-org', '--callback', 'https://example.test/cb'],
      env,
    );
    expect(code).toBe(0);
    expect(lastExecute().url).toBe('/via/v2/organizations/flag-org/autoFacilitate/execute/echo');
    expect(lastExecute().headers['x-api-key']).toBe('env-key');
    expect(JSON.parse(lastExecute().body)).toEqual({
      triggerParameters: {},
      callbackUrls: ['https://example.test/cb'],
    });
    expect(lastToken().headers.authorization).toBe(basic('profile-client', 'profile-secret'));
  });

  test('--json prints nothing but JSON on stdout', async () => {
    const { code, stdout, stderr } = await runCli(['execute', 'echo', '--json', '--idempotency-key', 'key-1'], {
      ...credentials,
      AUTOFACILITATE_BASE_URL: server.url,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ triggerUUID: 'trigger-1', message: 'Successfully triggered' });
    expect(stderr).toBe('');
    expect(lastExecute().headers['idempotency-key']).toBe('key-1');
  });

  test("--xml sends the <root> document of Alvaria's API reference", async () => {
    const { code } = await runCli(['execute', 'echo', '--xml', '-p', 'key=<value>'], {
      ...credentials,
      AUTOFACILITATE_BASE_URL: server.url,
    });
    expect(code).toBe(0);
    expect(lastExecute().headers['content-type']).toMatch(/^application\/xml/);
    expect(lastExecute().body).toContain('<triggerParameters><key>&lt;value&gt;</key></triggerParameters>');
  });

  test("a server error is one line with the server's detail, with the exit code of its kind", async () => {
    const { code, stdout, stderr } = await runCli(['result', 'echo', 'trigger-1'], {
      ...credentials,
      AUTOFACILITATE_BASE_URL: server.url,
    });
    expect({ code, stdout }).toEqual({ code: 4, stdout: '' });
    expect(stderr).toBe(
      'error: no route /via/v2/organizations/acme/autoFacilitate/result/echo/triggerUUID/trigger-1 (status 404)\n',
    );
  });

  test('--json errors are JSON on stdout too', async () => {
    const { code, stdout } = await runCli(['result', 'echo', 'trigger-1', '--json'], {
      ...credentials,
      AUTOFACILITATE_BASE_URL: server.url,
    });
    expect(code).toBe(4);
    expect(JSON.parse(stdout)).toMatchObject({ error: { name: 'NotFoundError', status: 404, exitCode: 4 } });
  });
});

test.each(['README.md', 'packages/cli/README.md'])('%s names every exit code', (readme) => {
  const text = readFileSync(join(__dirname, '..', '..', '..', readme), 'utf8');
  for (const code of Object.values(ExitCode).filter((code) => code !== 0)) {
    expect({ code, named: new RegExp(`(\\| ${code} \\||\\b${code} [a-z])`).test(text) }).toEqual({ code, named: true });
  }
});
