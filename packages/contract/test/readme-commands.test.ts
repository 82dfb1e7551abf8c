// Every command the CLI's and the SDK's READMEs show is run here, or by the test named beside it;
// where a README shows the output, the output must be what it shows.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { startPrism, type RunningPrism } from '../src/prism';
import { readmeBlocks, shownCommands, type ShownCommand } from '../src/readme-commands';

/** Commands a test elsewhere runs, by the file and the test name that run them. */
const ELSEWHERE: Record<string, [file: string, test: string]> = {
  'npm install -g @autofacilitate/cli': [
    'packages/contract/test/release-e2e.test.ts',
    'a new project outside the repo, installing from the registry',
  ],
  'npm install @autofacilitate/sdk': [
    'packages/contract/test/release-e2e.test.ts',
    'a new project outside the repo, installing from the registry',
  ],
  'autofacilitate execute sleep --wait': [
    'packages/cli/test/waiting.test.ts',
    'Ctrl-C during --wait prints the triggerUUID and the command that resumes',
  ],
  'autofacilitate result sleep 01a2275d-cb79-79bf-ab5c-ba035b06d8f0 --wait': [
    'packages/cli/test/waiting.test.ts',
    'that command waits again',
  ],
  'autofacilitate configure --profile local --org-id demo --base-url http://127.0.0.1:8080 --client-id demo-client --client-secret … --api-key …':
    [
      'packages/cli/test/credentials.test.ts',
      'takes the flags without a terminal, writes the profile readable by its owner only, and checks it',
    ],
  'npx nx run sdk:check-package': ['package.json', 'nx run-many -t lint typecheck check-generated check-package'],
};

let prism: RunningPrism;
let scratch: string;
let path: string;

beforeAll(async () => {
  prism = await startPrism();
  scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-readme-'));
  // `autofacilitate` on the PATH, as an installed CLI is.
  mkdirSync(join(scratch, 'bin'));
  symlinkSync(join(workspaceRoot, 'packages/cli/bin/autofacilitate.js'), join(scratch, 'bin', 'autofacilitate'));
  path = `${join(scratch, 'bin')}:${dirname(nodeBinary)}:${process.env.PATH}`;
});

afterAll(async () => {
  await prism?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs a command line in bash, stdout and stderr together as a terminal shows them. */
function bash(command: string, env: NodeJS.ProcessEnv, cwd = scratch): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun) =>
    execFile(
      'bash',
      ['-c', `{ ${command}\n} 2>&1`],
      { cwd, env: { PATH: path, HOME: scratch, XDG_CONFIG_HOME: join(scratch, 'config'), ...env } },
      (error, stdout) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, output: stdout }),
    ),
  );
}

function commandsOf(readme: string): ShownCommand[] {
  return readmeBlocks(readme).flatMap((block) =>
    ['sh', 'console', 'text'].includes(block.language) ? shownCommands(block) : [],
  );
}

describe('packages/cli/README.md', () => {
  const commands = commandsOf('packages/cli/README.md');

  test('the session runs against the mock and prints what the README shows', async () => {
    const session = commands.filter(({ command }) => !(command in ELSEWHERE));
    const [exports, ...rest] = session;
    expect(exports!.command).toMatch(/^export AUTOFACILITATE_BASE_URL=http:\/\/127\.0\.0\.1:4010 /);
    const env = Object.fromEntries(
      exports!.command
        .replace(/^export /, '')
        .split(/\s+/)
        .map((assignment) => assignment.split('=') as [string, string]),
    );
    env.AUTOFACILITATE_BASE_URL = prism.url;
    expect(rest.length).toBeGreaterThanOrEqual(5);
    for (const { command, output } of rest) {
      const ran = await bash(command, env);
      expect({ command, output: ran.output }).toEqual({ command, output: output.map((line) => `${line}\n`).join('') });
    }
  });

  test('every other command is run by the test named for it', () => {
    for (const { command } of commands.filter(({ command }) => command in ELSEWHERE)) {
      const [file, name] = ELSEWHERE[command]!;
      expect({ command, named: readFileSync(join(workspaceRoot, file), 'utf8').includes(name) }).toEqual({
        command,
        named: true,
      });
    }
  });
});

describe('packages/sdk/README.md', () => {
  const commands = commandsOf('packages/sdk/README.md');

  test('every command is run here or by the test named for it', () => {
    const here = ['npx prism mock spec/autofacilitate.yaml', 'node quickstart.mjs', 'npx nx run sdk:bench'];
    for (const { command } of commands) {
      const runs = here.includes(command) || command in ELSEWHERE;
      expect({ command, runs }).toEqual({ command, runs: true });
    }
  });

  test('the quick start runs as written against the mock', async () => {
    const quickstart = readmeBlocks('packages/sdk/README.md').find(
      (block) => block.language === 'js' && block.lines.some((line) => line.includes('executeAndWait')),
    )!;
    // Beside the workspace's node_modules, so that `@autofacilitate/sdk` resolves as it does in an application.
    const dir = join(workspaceRoot, 'packages/contract/tmp', `quickstart-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(
        join(dir, 'quickstart.mjs'),
        quickstart.lines.join('\n').replace('http://127.0.0.1:4010', prism.url),
      );
      const ran = await bash('node quickstart.mjs', {}, dir);
      expect(ran).toEqual({
        code: 0,
        output: "Successfully triggered ServerName@orgId 1234\nsucceeded finished\noutput: { key: 'value' }\n",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the benchmark runs as the README says (a short run)', async () => {
    const ran = await bash(
      'npx nx run sdk:bench',
      { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', BENCH_ROUNDS: '1', BENCH_CALLS: '50', BENCH_CONCURRENCY: '2' },
      workspaceRoot,
    );
    expect(ran.code).toBe(0);
    expect(ran.output).toMatch(/ratio to raw fetch/i);
  }, 600_000);
});
