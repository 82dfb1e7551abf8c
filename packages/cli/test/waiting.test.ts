// Waiting for a trigger against the real server: the documented limit, Ctrl-C (SIGINT to the real
// process) and the command that resumes, `result --wait`, and idempotent replays said as such.
import { runCli, startCli } from './support/run-cli';
import { startRealServer, type RealServer } from './support/real-server';

let server: RealServer;
beforeAll(async () => (server = await startRealServer()));
afterAll(() => server?.close());

const uuid = '[0-9a-f-]{36}';

test('Ctrl-C during --wait prints the triggerUUID and the command that resumes; that command waits again', async () => {
  const waiting = startCli(['execute', 'nap', '--wait'], server.env);
  const [, triggerUUID] = await waiting.stderrMatches(
    new RegExp(
      `Successfully triggered nap@acme: (${uuid}); waiting up to 120 s \\(Ctrl-C stops the wait, not the trigger\\)\\n`,
    ),
  );
  waiting.interrupt();
  const stopped = await waiting.ended;
  const resume = `autofacilitate result nap ${triggerUUID} --wait`;
  expect(stopped.code).toBe(130);
  expect(stopped.stdout).toBe('');
  expect(stopped.stderr).toContain(
    `Stopped waiting (Ctrl-C); the trigger ${triggerUUID} of nap goes on. Wait for it again with:\n  ${resume}\n`,
  );

  // The printed command, run as printed, waits for the same trigger (which naps for a minute).
  const resumed = startCli([resume], server.env, { shell: true });
  await resumed.stderrMatches(new RegExp(`Trigger ${triggerUUID} of nap; waiting up to 120 s`));
  resumed.interrupt();
  // The shell itself dies of the SIGINT; what counts is what the CLI it ran said.
  expect((await resumed.ended).stderr).toContain(
    `Stopped waiting (Ctrl-C); the trigger ${triggerUUID} of nap goes on. Wait for it again with:\n  ${resume}\n`,
  );
  expect((await runCli(['result', 'nap', triggerUUID!], server.env)).stdout).toMatch(
    new RegExp(`^running  nap  ${triggerUUID}\\n$`),
  );
});

test('the resume command repeats the settings given as flags, never a secret', async () => {
  const { AUTOFACILITATE_BASE_URL, AUTOFACILITATE_CLIENT_SECRET, ...rest } = server.env;
  const waiting = startCli(
    [
      'execute',
      'nap',
      '--wait',
      '--base-url',
      AUTOFACILITATE_BASE_URL!,
      '--client-secret',
      AUTOFACILITATE_CLIENT_SECRET!,
    ],
    rest,
  );
  const [, triggerUUID] = await waiting.stderrMatches(new RegExp(`nap@acme: (${uuid}); waiting`));
  waiting.interrupt();
  const { stderr } = await waiting.ended;
  expect(stderr).toContain(
    `  autofacilitate --base-url ${AUTOFACILITATE_BASE_URL} --client-secret … result nap ${triggerUUID} --wait\n`,
  );
  expect(stderr).not.toContain(AUTOFACILITATE_CLIENT_SECRET);
});

test('result --wait waits for the outcome; --json prints what the API answered (a 204: no done field)', async () => {
  const triggerUUID = (await runCli(['execute', 'quiet'], server.env)).stdout.trim();
  const human = await runCli(['result', 'quiet', triggerUUID, '--wait'], server.env);
  expect(human).toMatchObject({ code: 0, stdout: `succeeded  quiet  ${triggerUUID}\n(no output)\n` });
  const json = await runCli(['result', 'quiet', triggerUUID, '--wait', '--json'], server.env);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toEqual({ triggerUUID, vsn: 'quiet', status: 'succeeded' });
});

test('execute --wait --json prints the outcome as the API answered it', async () => {
  const { code, stdout } = await runCli(['execute', 'echo', '-p', 'greeting=hello', '--wait', '--json'], server.env);
  expect(code).toBe(0);
  const outcome = JSON.parse(stdout);
  expect(outcome).toMatchObject({ vsn: 'echo', status: 'succeeded', output: { greeting: 'hello' } });
  expect(Object.keys(outcome).sort()).toEqual([
    'createdAt',
    'finishedAt',
    'output',
    'startedAt',
    'status',
    'triggerUUID',
    'vsn',
  ]);
});

test('a wait past --timeout exits 6 with the command that resumes', async () => {
  const triggerUUID = (await runCli(['execute', 'nap'], server.env)).stdout.trim();
  const { code, stderr } = await runCli(['result', 'nap', triggerUUID, '--wait', '--timeout', '1'], server.env);
  expect(code).toBe(6);
  expect(stderr).toContain(
    `error: Not finished within 1 s; the trigger ${triggerUUID} of nap goes on. Wait for it again with:\n  autofacilitate result nap ${triggerUUID} --wait\n`,
  );
});

test('with --json the interrupted wait is JSON too, with the resume command', async () => {
  const triggerUUID = (await runCli(['execute', 'nap'], server.env)).stdout.trim();
  const { code, stdout } = await runCli(
    ['result', 'nap', triggerUUID, '--wait', '--timeout', '1', '--json'],
    server.env,
  );
  expect(code).toBe(6);
  expect(JSON.parse(stdout)).toEqual({
    error: {
      name: 'StoppedWaiting',
      message: `Not finished within 1 s; the trigger ${triggerUUID} of nap goes on. Wait for it again with:`,
      vsn: 'nap',
      triggerUUID,
      resume: `autofacilitate --json result nap ${triggerUUID} --wait`,
      exitCode: 6,
    },
  });
});

test('an idempotent replay is said, and starts nothing new', async () => {
  const first = await runCli(['execute', 'echo', '--idempotency-key', 'order-7'], server.env);
  const again = await runCli(['execute', 'echo', '--idempotency-key', 'order-7'], server.env);
  expect(first.stderr).not.toContain('replay');
  expect(again).toMatchObject({ code: 0, stdout: first.stdout });
  expect(again.stderr).toBe(
    'Idempotent replay: an earlier request with this --idempotency-key started this trigger; nothing new was started\nSuccessfully triggered echo@acme\n',
  );
  const waited = await runCli(['execute', 'echo', '--idempotency-key', 'order-7', '--wait'], server.env);
  expect(waited.code).toBe(0);
  expect(waited.stderr).toContain('Idempotent replay');
  expect(waited.stdout).toContain(first.stdout.trim());
});
