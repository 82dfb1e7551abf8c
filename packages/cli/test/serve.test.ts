// `serve` runs the real server through its public command, its data where the user sees it.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, startCli } from './support/run-cli';

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-cli-serve-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('the demo keeps its data in ./autofacilitate-data, says so, serves, and stops gracefully on Ctrl-C', async () => {
  const serving = startCli(['serve', '--port', '0'], {}, { cwd: scratch });
  const data = join(scratch, 'autofacilitate-data');
  await serving.stderrMatches(
    new RegExp(
      `^No --config given: starting the demo server, its data \\(SQLite file and credentials\\) in ${data}\\n`,
    ),
  );
  const [, url] = await serving.stdoutMatches(/AutoFacilitate demo server on (http:\/\/127\.0\.0\.1:\d+)\n/);
  await serving.stdoutMatches(
    new RegExp(` {2}data: +${data} \\(SQLite file and credentials; delete it to start afresh\\)\\n`),
  );
  await serving.stdoutMatches(/Stop it with Ctrl-C\./);
  expect(readdirSync(data).sort()).toEqual(expect.arrayContaining(['autofacilitate.sqlite', 'demo-credentials.json']));

  // The printed credentials reach the server through the CLI.
  const { clientSecret, apiKey } = JSON.parse(readFileSync(join(data, 'demo-credentials.json'), 'utf8')) as {
    clientSecret: string;
    apiKey: string;
  };
  const env = {
    AUTOFACILITATE_BASE_URL: url!,
    AUTOFACILITATE_ORG_ID: 'demo',
    AUTOFACILITATE_CLIENT_ID: 'demo-client',
    AUTOFACILITATE_CLIENT_SECRET: clientSecret,
    AUTOFACILITATE_API_KEY: apiKey,
  };
  expect(await runCli(['execute', 'echo', '-p', 'greeting=hello', '--wait'], env)).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('"greeting": "hello"'),
  });

  serving.interrupt();
  expect((await serving.ended).code).toBe(0);
});

test('--data-dir puts the data elsewhere', async () => {
  const data = join(scratch, 'elsewhere');
  const serving = startCli(['serve', '--port', '0', '--data-dir', data], {}, { cwd: scratch });
  await serving.stdoutMatches(/Stop it with Ctrl-C\./);
  expect(readdirSync(data)).toContain('demo-credentials.json');
  serving.interrupt();
  expect((await serving.ended).code).toBe(0);
});

describe('without the optional peers installed', () => {
  // The CLI as installed alone: its package, and only its own dependencies beside it.
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  let alone: string;
  beforeAll(() => {
    alone = join(scratch, 'alone');
    mkdirSync(alone);
    const root = join(__dirname, '..', '..', '..');
    for (const part of ['bin', 'dist', 'package.json'])
      cpSync(join(__dirname, '..', part), join(alone, part), { recursive: true });
    for (const name of [...Object.keys(manifest.dependencies), '@autofacilitate/client']) {
      mkdirSync(dirname(join(alone, 'node_modules', name)), { recursive: true });
      symlinkSync(realpathSync(join(root, 'node_modules', name)), join(alone, 'node_modules', name));
    }
  });

  test.each([
    [['serve'], '@autofacilitate/server'],
    [['mock'], '@stoplight/prism-cli'],
  ])('%j names the package to install, at the version package.json asks for', async (args, peer) => {
    const { code, stderr } = await runCli(args, {}, join(alone, 'bin', 'autofacilitate.js'));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: ${peer} is not installed; install it with: npm install ${peer}@${manifest.peerDependencies[peer]}\n`,
    );
  });
});
