// Every command the READMEs show is accounted for: run here, on the tree as `npm ci` leaves it
// (its prepare step builds the packages), or run by the test named, or exempt for the reason given.
// A command added to a README without an entry below fails the first test.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../src/free-port';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { REPO_READMES, readmeCommands } from '../src/readme-commands';
import { run, succeeded } from '../src/run';

type How = { here: string } | { test: string } | { exempt: string };
const here = (what: string): How => ({ here: what });
const by = (test: string): How => ({ test });
const exempt = (reason: string): How => ({ exempt: reason });
const WHOLE_SUITE = exempt('it is `npm test`, or a part of it: the suite that runs this test');

const HOW: Record<string, How> = {
  'npm ci && npm start': by('npm-start.test.ts'),
  'npm ci': exempt('CI runs it before the suite (.ci/run); this test checks the tree it leaves'),
  'npm start': by('npm-start.test.ts'),
  'node packages/server/dist/demo.js --port 9090': by('npm-start.test.ts'),
  'npm run docs': by('npm-start.test.ts'),
  'npm run mock': here('serves the mock, with a port of its own'),
  'npm test': WHOLE_SUITE,
  'npm run spec:review && npm test': WHOLE_SUITE,
  'npm run test:node20': WHOLE_SUITE,
  'npm run test:node22': WHOLE_SUITE,
  'npm run test:postgres': WHOLE_SUITE,
  'AUTOFACILITATE_TEST_STORAGE=postgres npx jest -c packages/server/jest.config.cjs': WHOLE_SUITE,
  'npm run node22': here('runs Node 22'),
  'npx nx run-many -t build test': WHOLE_SUITE,
  'npx nx run server:test': WHOLE_SUITE,
  'npx nx run server:lint': WHOLE_SUITE,
  'npx nx run server:check-package': WHOLE_SUITE,
  'npx jest -c packages/contract/jest.config.cjs test/dredd-server test/sdk-server test/callbacks-sdk': WHOLE_SUITE,
  'npx jest -c packages/contract/jest.config.cjs packages/contract/test/release-e2e.test.ts': WHOLE_SUITE,
  'npx jest -c packages/contract/jest.config.cjs test/schemathesis-server': WHOLE_SUITE,
  'npx nx run-many -t build -p packages/client packages/sdk packages/cli packages/server packages/types':
    by('release-e2e.test.ts'),
  'npx nx run server:bench': exempt('a measurement of minutes, not a check: its figures are in the server README'),
  'BENCH_ROWS=get-result BENCH_SECONDS=5 node packages/server/bench/run.mjs': exempt(
    'a part of the bench: a measurement, not a check',
  ),
  'BENCH_ROWS=end-to-end BENCH_E2E_SECONDS=20 node packages/server/bench/run.mjs': exempt(
    'a part of the bench: a measurement, not a check',
  ),
  'BENCH_ROWS=postgres node packages/server/bench/run.mjs': exempt('a part of the bench: a measurement, not a check'),
  'npx nx show projects': here('lists the projects'),
  'npx nx show project sdk': here("shows the SDK's targets"),
  'npx nx run spec:lint': here('lints the spec'),
  'npm run generate': by('check-generated.test.ts'),
  'npm run spec:review': by('spec-review.test.ts'),
  'npm run spec:review -- --base main': by('spec-review.test.ts'),
  '$EDITOR spec/autofacilitate.yaml': exempt('an editor'),
  'git add spec packages/*/src/generated && git commit': exempt('git, committing a change of yours'),
  'git push --follow-tags': exempt('git, pushing to your remote'),
  'npx nx release --dry-run --skip-publish': by('release-e2e.test.ts'),
  'npx nx release --skip-publish': by('release-e2e.test.ts'),
  'npx nx release 0.1.0 --first-release --skip-publish': by('release-e2e.test.ts'),
  'npx nx release 0.1.0 --first-release --dry-run --skip-publish': by('release-e2e.test.ts'),
  'npx nx release publish --registry <registry URL>': by('release-e2e.test.ts'),
  'npm config set @autofacilitate:registry <registry URL>': by('release-e2e.test.ts'),
  'npm login --registry <registry URL>': exempt('needs an account on your registry'),
  'npm init -y && npm install @autofacilitate/sdk …': by('release-e2e.test.ts'),
  'npm install @autofacilitate/server': by('release-e2e.test.ts'),
  'npm run …': exempt('stands for any script'),
  'npx …': exempt('stands for any command'),
  'npx autofacilitate --help': here('prints the usage'),
  'export AUTOFACILITATE_BASE_URL=http://127.0.0.1:8080 AUTOFACILITATE_ORG_ID=demo AUTOFACILITATE_CLIENT_ID=demo-client AUTOFACILITATE_CLIENT_SECRET=… AUTOFACILITATE_API_KEY=…':
    here("with a server's URL and credentials"),
  'npx autofacilitate execute echo -p greeting=hello --wait': here('against a server'),
  'npx autofacilitate execute sleep --wait --timeout 30 --json | jq -r .status': here('against a server'),
  'npx autofacilitate … --wait': here('against a server'),
  'npx autofacilitate execute … --wait': by('release-e2e.test.ts'),
  'npx autofacilitate-server demo': by('../../server/test/read-only-commands.test.ts'),
  'npx autofacilitate-server serve --config config.yaml': here('starts a server of a configuration file'),
  'npx autofacilitate-server deliveries 0198a2c4-5b7e-7c3d-9f1e-2a3b4c5d6e7f --config config.yaml': here(
    "reads a configuration's store",
  ),
};

// npx never asks the registry here: a command that is not this repo's fails instead.
const env: NodeJS.ProcessEnv = {
  PATH: [dirname(nodeBinary), process.env.PATH].join(':'),
  HOME: process.env.HOME,
  NX_DAEMON: 'false',
  npm_config_offline: 'true',
};
const shell = (command: string, extra: NodeJS.ProcessEnv = {}) =>
  run('bash', ['-c', command], { cwd: workspaceRoot, env: { ...env, ...extra } });

test('every command of the READMEs is run here, by a test named, or exempt with a reason', () => {
  const found = REPO_READMES.flatMap((readme) => readmeCommands(readme).map((command) => ({ readme, command })));
  expect(found.length).toBeGreaterThan(40);
  expect(
    found.filter(({ command }) => !(command in HOW)).map(({ readme, command }) => `${readme}: ${command}`),
  ).toEqual([]);
  for (const how of Object.values(HOW)) {
    if ('test' in how) expect(existsSync(join(__dirname, how.test))).toBe(true);
  }
});

test("the commands npx runs are this repo's, linked by npm ci", () => {
  const bin = (name: string) => realpathSync(join(workspaceRoot, 'node_modules/.bin', name));
  expect(bin('autofacilitate')).toBe(join(workspaceRoot, 'packages/cli/bin/autofacilitate.js'));
  expect(bin('autofacilitate-server')).toBe(join(workspaceRoot, 'packages/server/bin/autofacilitate-server.js'));
});

test('npx autofacilitate --help', async () => {
  const help = succeeded(await shell('npx autofacilitate --help'), 'npx autofacilitate --help');
  expect(help.stdout).toMatch(/^Usage: autofacilitate \[options\] \[command\]/);
});

test('npx nx show projects, npx nx show project sdk, npx nx run spec:lint', async () => {
  const projects = succeeded(await shell('npx nx show projects'), 'nx show projects')
    .stdout.split('\n')
    .filter(Boolean)
    .sort();
  expect(projects).toEqual(expect.arrayContaining(['cli', 'client', 'contract', 'sdk', 'server', 'spec', 'tools']));
  const sdk = JSON.parse(succeeded(await shell('npx nx show project sdk --json'), 'nx show project sdk').stdout) as {
    targets: object;
  };
  expect(Object.keys(sdk.targets)).toEqual(expect.arrayContaining(['build', 'lint', 'test']));
  expect(succeeded(await shell('npx nx run spec:lint'), 'nx run spec:lint').stdout).toContain(
    'Successfully ran target lint for project spec',
  );
});

test('npm run node22', async () => {
  expect(succeeded(await shell('npm run --silent node22 -- --version'), 'npm run node22').stdout).toMatch(/^v22\./);
});

test('npm run mock', async () => {
  const port = await freePort();
  const mock = spawn('bash', ['-c', `exec npm run mock -- --port ${port}`], {
    cwd: workspaceRoot,
    env,
    detached: true,
  });
  const closed = new Promise((resolve) => mock.on('close', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      mock.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (listening) resolve(listening[1]!);
      });
      mock.on('close', () => reject(new Error(`npm run mock ended:\n${output}`)));
    });
    const answer = await fetch(`${url}/healthz`);
    expect(answer.status).toBe(200);
  } finally {
    if (mock.exitCode === null) process.kill(-mock.pid!, 'SIGTERM');
    await closed;
  }
});

describe('a server of a configuration file, and the CLI against it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readme-commands-'));
  const config = join(dir, 'config.yaml');
  const secrets = {
    AUTOFACILITATE_CLIENT_SECRET_DEMO_CLIENT: 'a-demo-client-secret',
    AUTOFACILITATE_API_KEY_DEMO_DEMO: 'a-demo-api-key',
  };
  let server: ReturnType<typeof spawn>;
  let cliEnv: NodeJS.ProcessEnv;
  // The README's commands, with the configuration file of this test.
  const own = (command: string) => command.replace('config.yaml', config);

  beforeAll(async () => {
    writeFileSync(
      config,
      [
        'server: { port: 0 }',
        'organisations:',
        '  demo:',
        '    clients: { demo-client: {} }',
        '    apiKeys: { demo: {} }',
        '    services: { echo: { kind: echo }, sleep: { kind: sleep, ms: 50 } }',
        '',
      ].join('\n'),
    );
    server = spawn('bash', ['-c', `exec ${own('npx autofacilitate-server serve --config config.yaml')}`], {
      cwd: workspaceRoot,
      env: { ...env, ...secrets },
      // Its own process group: npx runs the server as a child, and both are stopped together.
      detached: true,
    });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (listening) resolve(listening[1]!);
      });
      server.on('close', () => reject(new Error(`the server ended:\n${output}`)));
    });
    cliEnv = {
      AUTOFACILITATE_BASE_URL: url,
      AUTOFACILITATE_ORG_ID: 'demo',
      AUTOFACILITATE_CLIENT_ID: 'demo-client',
      AUTOFACILITATE_CLIENT_SECRET: secrets.AUTOFACILITATE_CLIENT_SECRET_DEMO_CLIENT,
      AUTOFACILITATE_API_KEY: secrets.AUTOFACILITATE_API_KEY_DEMO_DEMO,
    };
  });

  afterAll(async () => {
    if (server.exitCode === null) {
      const closed = new Promise((resolve) => server.on('close', resolve));
      process.kill(-server.pid!, 'SIGTERM');
      await closed;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('npx autofacilitate execute echo -p greeting=hello --wait', async () => {
    const result = succeeded(
      await shell('npx autofacilitate execute echo -p greeting=hello --wait', cliEnv),
      'execute echo',
    );
    expect(result.stdout).toMatch(/^succeeded +echo +[0-9a-f-]{36}\n\{\n {2}"greeting": "hello"\n\}\n$/);
  });

  test('npx autofacilitate execute sleep --wait --timeout 30 --json | jq -r .status', async () => {
    const result = succeeded(
      await shell(
        'set -o pipefail; npx autofacilitate execute sleep --wait --timeout 30 --json | jq -r .status',
        cliEnv,
      ),
      'execute sleep',
    );
    expect(result.stdout).toBe('succeeded\n');
  });

  test('npx autofacilitate-server deliveries <triggerUUID> --config config.yaml', async () => {
    const command = 'npx autofacilitate-server deliveries 0198a2c4-5b7e-7c3d-9f1e-2a3b4c5d6e7f --config config.yaml';
    const result = await shell(own(command), secrets);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'No callback deliveries for the trigger 0198a2c4-5b7e-7c3d-9f1e-2a3b4c5d6e7f\n',
    });
  });
});

test("the mock's limits are said where the mock is introduced", () => {
  const readme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  expect(readme).toContain(
    "any client secret, token and API key is accepted, and a result is the spec's example, unrelated to what was executed",
  );
  const cli = readFileSync(join(workspaceRoot, 'packages/cli/README.md'), 'utf8').replace(/\s+/g, ' ');
  expect(cli).toContain(
    "it accepts any secret, token and API key, and its results are the spec's examples, unrelated to what was executed",
  );
});
