import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyClientSecret } from '../src/auth/secret-hash';
import { callbackSecretKey } from '../src/callbacks/callback-secret';
import { execute } from './support/api-client';
import { processServers } from './support/process-servers';
import { startProcess } from './support/server-process';
import { testEnv } from './support/test-config';

// The commands of the server's command line, run as users run them: built, in child processes.

const fixtures = join(__dirname, 'fixtures');
const { dir: scratch, configFile, start, track } = processServers();

describe('start-up refuses what it cannot run, with a message and exit code 1', () => {
  test('a bad configuration file names the key and why', async () => {
    const file = await configFile('bad', (raw) => {
      raw.organisations.acme.services.echo.concurrency = 0;
      raw.organisations.acme.services.echo.colour = 'blue';
    });
    const child = await startProcess('main.js', ['--config', file], testEnv);
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe(
      `Configuration error: ${file}:\n  organisations.acme.services.echo.colour: unknown key\n  organisations.acme.services.echo.concurrency: must be >= 1\n`,
    );
  });

  test('a missing secret names the environment variable that would give it', async () => {
    const file = await configFile('no-secret');
    const child = await startProcess('main.js', ['--config', file], {
      AUTOFACILITATE_API_KEY_ACME_MAIN: 'k',
      AUTOFACILITATE_API_KEY_GLOBEX_MAIN: 'k2',
      AUTOFACILITATE_CLIENT_SECRET_GLOBEX_CLIENT: 's',
    });
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toContain(
      'organisations.acme.clients.acme-client.secretHash: missing (or set the environment variable AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT)',
    );
  });

  test('a module without run()', async () => {
    const file = await configFile('no-run', (raw) => {
      raw.organisations.acme.services.broken = { kind: 'module', module: join(fixtures, 'no-run.mjs') };
    });
    const child = await startProcess('main.js', ['--config', file], testEnv);
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe(
      `Configuration error: organisations.acme.services.broken: ${join(fixtures, 'no-run.mjs')} does not export a function run(triggerParameters, context)\n`,
    );
  });

  test('a configuration file that is not there', async () => {
    const child = await startProcess('main.js', ['--config', join(scratch(), 'nowhere.yaml')], {});
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe(`Configuration error: ${join(scratch(), 'nowhere.yaml')}: cannot be read (ENOENT)\n`);
  });
});

describe('the other commands', () => {
  test('hash-secret hashes the secret given on standard input', async () => {
    const child = await startProcess('main.js', ['hash-secret'], {}, 'my client secret\n');
    expect((await child.exited).code).toBe(0);
    const hash = child.output().trim();
    expect(await verifyClientSecret('my client secret', hash)).toBe(true);
  });

  test('new-api-key prints a key and the hash the configuration takes', async () => {
    const child = await startProcess('main.js', ['new-api-key'], {});
    expect((await child.exited).code).toBe(0);
    const [, key, hash] = /API key \(give it to the caller\): (\S+)\nhash \(put it in the configuration\): (\S+)/.exec(
      child.output(),
    )!;
    const file = await configFile('new-key', (raw) => {
      raw.organisations.acme.apiKeys.main = { hash };
    });
    const server = await start(file, { AUTOFACILITATE_API_KEY_ACME_MAIN: '' });
    const answer = await execute(server.url, 'acme', 'echo', { token: server.acme.token!, apiKey: key! }, {});
    expect(answer.status).toBe(200);
  });

  test('new-callback-secret prints a whsec_ secret the configuration takes', async () => {
    const child = await startProcess('main.js', ['new-callback-secret'], {});
    expect((await child.exited).code).toBe(0);
    expect(callbackSecretKey(child.output().trim())?.length).toBe(32);
  });

  test('deliveries names a trigger without callbacks', async () => {
    const file = await configFile('no-deliveries');
    const child = await startProcess(
      'main.js',
      ['deliveries', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', '--config', file],
      testEnv,
    );
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toBe('No callback deliveries for the trigger 0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d\n');
  });

  test('usage prints the counters of the store', async () => {
    const file = await configFile('usage');
    const server = await start(file);
    await execute(server.url, 'acme', 'echo', server.acme, {});
    server.child.kill('SIGTERM');
    await server.exited;
    const child = await startProcess('main.js', ['usage', '--config', file], testEnv);
    expect((await child.exited).code).toBe(0);
    expect(JSON.parse(child.output())).toEqual([
      { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 1, lastUsedAt: expect.any(Number) },
    ]);
  });

  test('an unknown command shows the usage', async () => {
    const child = await startProcess('main.js', ['frobnicate'], {});
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toContain('Unknown command: frobnicate');
    expect(child.output()).toContain('Usage: autofacilitate-server');
  });
});

test('the demo prints curl commands that work as printed: token, execute echo, result', async () => {
  const data = join(scratch(), 'demo-data');
  const demo = await startProcess('demo.js', ['--port', '0', '--data', data], {});
  track(demo);
  await demo.waitFor(/Stop it with Ctrl-C\./);
  const printed = demo.output();
  expect(printed).toMatch(/client id: +demo-client/);
  const commands = printed.split('\n').filter((line) => /^(TOKEN=|TRIGGER=|curl )/.test(line));
  expect(commands).toHaveLength(3);

  const run = promisify(execFile);
  const script = `set -e\n${commands.join('\n')}\n`;
  let { stdout } = await run('bash', ['-c', script]);
  // echo finishes within a moment of execute; should the result be asked for sooner, a person
  // would paste the commands again, and so does the test.
  for (let attempt = 0; /"status":"(queued|running)"/.test(stdout) && attempt < 50; attempt++) {
    ({ stdout } = await run('bash', ['-c', script]));
  }
  expect(JSON.parse(stdout)).toMatchObject({ vsn: 'echo', status: 'succeeded', output: { greeting: 'hello' } });

  // The secrets stay the same from one start to the next.
  const credentials = JSON.parse(await readFile(join(data, 'demo-credentials.json'), 'utf8'));
  expect(printed).toContain(credentials.clientSecret);
  expect(printed).toContain(credentials.apiKey);
  expect(printed).toContain(`callbacks:    signed with ${credentials.callbackSecret}`);
  expect(callbackSecretKey(credentials.callbackSecret)).toHaveLength(32);

  // The admin key printed opens the demo organisation's admin operations.
  expect(printed).toMatch(new RegExp(`admin key: +${credentials.adminKey} `));
  const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1];
  const listed = await fetch(`${url}/admin/v1/organizations/demo/triggers`, {
    headers: { authorization: `Bearer ${credentials.adminKey}` },
  });
  expect(listed.status).toBe(200);
  expect((await listed.json()).triggers[0]).toMatchObject({ vsn: 'echo', status: 'succeeded' });
  // Beside it, the console's address, where that key signs in.
  expect(printed).toContain(`  console:      ${url}/console/ (sign in with the admin key)`);
  const page = await fetch(`${url}/console/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="app"></div>');

  demo.child.kill('SIGTERM');
  expect(await demo.exited).toEqual({ code: 0, signal: null });
});
