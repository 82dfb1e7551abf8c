// Credentials against the real server: which one was refused, what each command needs, and
// `configure`, which writes a profile and checks it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, runCli } from './support/run-cli';
import { startRealServer, type RealServer } from './support/real-server';

let server: RealServer;
let scratch: string;
beforeAll(async () => {
  server = await startRealServer();
  scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-cli-configure-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** How many tokens the server has granted, from its metrics. */
async function tokensGranted(): Promise<number> {
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  return Number(
    /^autofacilitate_http_requests_total\{operation="getAccessToken",status="200"\} (\d+)$/m.exec(metrics)?.[1] ?? 0,
  );
}

test('an unknown API key is named as such, and costs one token fetch, not two', async () => {
  const before = await tokensGranted();
  const { code, stdout, stderr } = await runCli(['execute', 'echo'], {
    ...server.env,
    AUTOFACILITATE_API_KEY: 'not-a-key',
  });
  expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
  expect(stderr).toMatch(
    /^error: The API key \(x-api-key\) was refused: The x-api-key header is missing or unknown \(status 401, request id \S+\)\n$/,
  );
  expect((await tokensGranted()) - before).toBe(1);
});

test('a wrong client secret is named as the client the token service refused', async () => {
  const { code, stderr } = await runCli(['token'], { ...server.env, AUTOFACILITATE_CLIENT_SECRET: 'wrong' });
  expect(code).toBe(3);
  expect(stderr).toMatch(
    /^error: The token service refused the client: invalid_client \(Client authentication failed\) \(status 401, request id \S+\)\n$/,
  );
});

test("the server's detail is the message: the service that is not there, and where", async () => {
  const { code, stderr } = await runCli(['execute', 'nope'], server.env);
  expect(code).toBe(4);
  expect(stderr).toMatch(/^error: Service nope not found in organisation acme \(status 404, request id \S+\)\n$/);
});

test('several problems: the headline, then each problem on a line of its own', async () => {
  const { code, stderr } = await runCli(['execute', 'needs-customer'], server.env);
  expect(code).toBe(5);
  expect(stderr).toMatch(
    /^error: Unprocessable Entity \(status 422, request id \S+\)\n {2}- \[body\.triggerParameters\.customerId\] Unprocessable Entity: .+\n {2}- \[body\.triggerParameters\.channel\] Unprocessable Entity: .+\n$/,
  );
});

test('token needs neither an API key nor an organisation', async () => {
  const { AUTOFACILITATE_API_KEY: _key, AUTOFACILITATE_ORG_ID: _org, ...env } = server.env;
  const { code, stdout, stderr } = await runCli(['token'], env);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toMatch(/^\S{20,}\n$/);
});

describe('configure', () => {
  const flags = () => [
    '--org-id',
    'acme',
    '--base-url',
    server.url,
    '--client-id',
    'cli-client',
    '--client-secret',
    server.clientSecret,
    '--api-key',
    server.apiKey,
  ];

  test('takes the flags without a terminal, writes the profile readable by its owner only, and checks it', async () => {
    const file = join(scratch, 'new', 'profiles.json');
    const { code, stdout, stderr } = await runCli([
      'configure',
      '--profile',
      'local',
      '--profile-file',
      file,
      ...flags(),
    ]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toBe(
      [
        `Saved profile "local" in ${file} (readable by you only)`,
        `Checking it against ${server.url} …`,
        '  client cli-client: the token service granted a token',
        '  API key, organisation acme: accepted',
        '',
      ].join('\n'),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(scratch, 'new')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      local: {
        orgId: 'acme',
        baseUrl: server.url,
        clientId: 'cli-client',
        clientSecret: server.clientSecret,
        apiKey: server.apiKey,
      },
    });
    // The profile is enough for the next command, and the other profiles stay.
    const echoed = await runCli(['execute', 'echo', '--wait', '--profile', 'local', '--profile-file', file]);
    expect(echoed.code).toBe(0);
    const other = await runCli([
      'configure',
      '--profile',
      'other',
      '--profile-file',
      file,
      '--no-check',
      '--json',
      ...flags(),
    ]);
    expect(other.code).toBe(0);
    expect(JSON.parse(other.stdout)).toEqual({ profile: 'other', profileFile: file, checked: false });
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['local', 'other']);
  });

  test('says clearly when the server refuses the credentials', async () => {
    const file = join(scratch, 'refused.json');
    const args = ['configure', '--profile-file', file, ...flags().slice(0, -1), 'not-a-key'];
    const { code, stderr } = await runCli(args);
    expect(code).toBe(3);
    expect(stderr).toContain('  client cli-client: the token service granted a token\n');
    expect(stderr).toMatch(
      /\nThe profile is saved, but the check failed; run autofacilitate configure again to change it\.\nerror: The API key \(x-api-key\) was refused: The x-api-key header is missing or unknown \(status 401, request id \S+\)\n$/,
    );
  });

  test('names the settings it lacks without a terminal', async () => {
    const { code, stderr } = await runCli([
      'configure',
      '--profile-file',
      join(scratch, 'lacking.json'),
      '--org-id',
      'acme',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('missing --client-id (or AUTOFACILITATE_CLIENT_ID, or "clientId" in profile "default")');
  });
});

/** Runs configure on a real pseudo-terminal (script(1), fed from our pipe), answering each prompt once shown. */
async function configureOnTerminal(
  file: string,
  answers: Array<[string, string]>,
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, cli, 'configure', '--profile-file', file].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'dumb' },
  });
  let screen = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const shown = (text: string) =>
    new Promise<void>((resolveShown) => {
      const check = () => {
        if (!screen.includes(text)) return;
        waiters.delete(check);
        resolveShown();
      };
      waiters.add(check);
      check();
    });
  const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  for (const [prompt, answer] of answers) {
    await shown(prompt);
    child.stdin.write(`${answer}\r`);
  }
  return { code: await exited, screen };
}

test('configure asks in a terminal, hides the secrets, and an empty answer keeps the current value', async () => {
  const file = join(scratch, 'asked.json');
  const first = await configureOnTerminal(file, [
    ['Organisation (orgId): ', 'acme'],
    ['(empty for Alvaria Cloud): ', server.url],
    ['OAuth2 client id: ', 'cli-client'],
    ['OAuth2 client secret: ', server.clientSecret],
    ['API key (x-api-key): ', server.apiKey],
  ]);
  expect(first.code).toBe(0);
  expect(first.screen).toContain('  API key, organisation acme: accepted');
  expect(first.screen).not.toContain(server.clientSecret);
  expect(first.screen).not.toContain(server.apiKey);
  const written = {
    default: {
      orgId: 'acme',
      baseUrl: server.url,
      clientId: 'cli-client',
      clientSecret: server.clientSecret,
      apiKey: server.apiKey,
    },
  };
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(written);

  const again = await configureOnTerminal(file, [
    ['Organisation (orgId) [acme]: ', ''],
    [`(empty for Alvaria Cloud) [${server.url}]: `, ''],
    ['OAuth2 client id [cli-client]: ', ''],
    [`OAuth2 client secret [keep …${server.clientSecret.slice(-4)}]: `, ''],
    [`API key (x-api-key) [keep …${server.apiKey.slice(-4)}]: `, ''],
  ]);
  expect(again.code).toBe(0);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(written);
});
