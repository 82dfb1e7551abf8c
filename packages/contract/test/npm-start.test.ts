// `npm start` and `npm run docs` as a person meets them: in a terminal 100 columns wide, right after
// `npm ci`. Nothing asks a question, nothing takes over the screen, no tracked file changes, and
// the banner's curl commands, each on one line, work when pasted into a shell.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { plainText, runInTerminal } from '../src/terminal';

const COLUMNS = 100;
// What a tool prints to ask something, or to switch to a full-screen UI (the alternate screen).
const PROMPT = /Share usage data|Help improve Nx|\(y\/N\)|\? .*›/;
const FULL_SCREEN = '\u001b[?1049h';

const env: NodeJS.ProcessEnv = {
  PATH: [dirname(nodeBinary), process.env.PATH].join(':'),
  HOME: process.env.HOME,
  TERM: 'xterm-256color',
  // A person's terminal, not CI (tools ask nothing in CI, which would hide a prompt).
  CI: 'false',
  // nx would otherwise leave its daemon running after the test.
  NX_DAEMON: 'false',
};
const gitStatus = () => execFileSync('git', ['status', '--porcelain'], { cwd: workspaceRoot, encoding: 'utf8' });
let data: string;
let statusBefore: string;

beforeAll(() => {
  data = mkdtempSync(join(tmpdir(), 'npm-start-'));
  statusBefore = gitStatus();
});

afterAll(() => rmSync(data, { recursive: true, force: true }));

test('npm start prints the banner as plain lines whose curl commands work as pasted, asks nothing, changes no tracked file', async () => {
  // A free port and a scratch data folder, so the test runs beside anyone's own `npm start`.
  const session = runInTerminal(`npm start -- --port 0 --data ${data}`, { cwd: workspaceRoot, env, columns: COLUMNS });
  try {
    await session.waitFor(/Stop it with Ctrl-C\./);
    const shown = plainText(session.output());
    expect(shown).not.toMatch(PROMPT);
    expect(session.output()).not.toContain(FULL_SCREEN);
    // The server's own log lines read as text in a terminal.
    expect(shown).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(shown).not.toContain('{"level"');

    const url = /^AutoFacilitate demo server on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(shown)![1]!;
    const commands = shown.split('\n').filter((line) => /^(TOKEN=|TRIGGER=|curl )/.test(line));
    expect(commands).toHaveLength(3);
    // The console's address, right after the admin key that signs in to it.
    expect(shown).toMatch(
      new RegExp(`^ {2}admin key: +\\S+ .*\n {2}console: +${url}/console/ \\(sign in with the admin key\\)$`, 'm'),
    );
    expect((await fetch(`${url}/console/`)).status).toBe(200);
    // Each command is one line from its start to its end, however wide the terminal.
    expect(commands[0]).toMatch(
      new RegExp(`^TOKEN=\\$\\(curl .* ${url}/tokenservice/oauth2/access_token \\| sed .*'\\)$`),
    );
    expect(commands[1]).toMatch(
      new RegExp(`^TRIGGER=\\$\\(curl .* ${url}/via/v2/organizations/demo/autoFacilitate/execute/echo \\| sed .*'\\)$`),
    );
    expect(commands[2]).toMatch(
      new RegExp(`^curl .* ${url}/via/v2/organizations/demo/autoFacilitate/result/echo/triggerUUID/\\$TRIGGER$`),
    );

    const script = `set -e\n${commands.join('\n')}\necho\necho "TOKEN=$TOKEN TRIGGER=$TRIGGER"\n`;
    const pasted = () => promisify(execFile)('bash', ['-c', script]).then(({ stdout }) => stdout);
    let printed = await pasted();
    // echo finishes a moment after execute; asked sooner, a person pastes the commands again.
    for (let attempt = 0; /"status":"(queued|running)"/.test(printed) && attempt < 50; attempt++)
      printed = await pasted();
    const [result, names] = printed.trim().split('\n');
    expect(names).toMatch(/^TOKEN=\S{20,} TRIGGER=[0-9a-f-]{36}$/);
    expect(JSON.parse(result!)).toMatchObject({ vsn: 'echo', status: 'succeeded', output: { greeting: 'hello' } });
  } finally {
    session.type('\u0003');
  }
  // 130 (128 + SIGINT): npm's answer to Ctrl-C, after the server stopped gracefully, and quietly.
  expect(await session.exited).toBe(130);
  const afterBanner = plainText(session.output()).split('Stop it with Ctrl-C.')[1]!;
  expect(afterBanner.trim().split('\n').at(-1)).toMatch(/INFO: stopped$/);
  expect(gitStatus()).toBe(statusBefore);
});

test('npm run docs renders the page, prints its path relative to the repo, asks nothing, changes no tracked file', async () => {
  const session = runInTerminal('npm run docs', { cwd: workspaceRoot, env, columns: COLUMNS });
  expect(await session.exited).toBe(0);
  const shown = plainText(session.output());
  expect(shown).toMatch(/^Rendered dist\/docs\/autofacilitate\.html$/m);
  expect(shown).not.toMatch(PROMPT);
  expect(session.output()).not.toContain(FULL_SCREEN);
  expect(gitStatus()).toBe(statusBefore);
});
