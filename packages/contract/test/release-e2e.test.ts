// The release path end to end, as a user meets it. In a scratch copy of the work tree (a git repo
// of its own), `nx release` versions the public packages together, writes the changelogs, commits
// and tags; `nx release publish` puts them on a throwaway Verdaccio; then a new project outside the
// repo installs them from it and calls a Prism mock through them, from ESM TypeScript and CommonJS
// (and through the CLI's `npx autofacilitate`, once packages/cli is a public package), and loads
// the server, whose wire types come from the registry's @autofacilitate/types.
// npm runs with its own user config and cache: ~/.npmrc is never read or written.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { startPrism, type RunningPrism } from '../src/prism';
import { run, succeeded } from '../src/run';
import { scratchGit, scratchGitEnv } from '../src/scratch-git';
import { createScratchWorkspace } from '../src/scratch-workspace';
import { startVerdaccio, type RunningVerdaccio } from '../src/verdaccio';

// Builds, installs and publishes on a 2-core machine: generous, and no assertion depends on it.
const STEP_TIMEOUT_MS = 900_000;
const CONSUMERS = join(workspaceRoot, 'tools/release/consumers');
// What every published package.json declares, for npm, the registry, bundlers and TypeScript.
const DECLARED = ['files', 'exports', 'types', 'engines', 'license', 'repository'];
// What a published package must not carry: tests, TypeScript sources (declarations aside) and
// build or test configuration.
const NOT_SHIPPED =
  /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]s$|^src\/|(?<!\.d)\.[cm]?ts$|(^|\/)(tsconfig[^/]*\.json|jest\.config\.[cm]?js|tsup\.config\.ts|project\.json)$/;
const FEATURE = 'feat(client): say in the README how the package is released';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

/** The public packages (packages/* not marked private), by folder: what a release publishes. */
function publicPackages(root: string): Map<string, Manifest> {
  const found = new Map<string, Manifest>();
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    if (parsed.private !== true) found.set(dir, parsed);
  }
  return found;
}

const released = publicPackages(workspaceRoot);
// The CLI joins the test as soon as its package exists and is public.
const withCli = released.has('cli');
// What the new project installs, and what it gets from the registry with it (the server's types).
const installed = ['client', 'sdk', 'server', ...(withCli ? ['cli'] : [])];
const fromRegistry = [...installed, 'types'];
const npmrcPath = join(homedir(), '.npmrc');
const readNpmrc = () => (existsSync(npmrcPath) ? readFileSync(npmrcPath, 'utf8') : undefined);
const npmrcBefore = readNpmrc();

let registry: RunningVerdaccio | undefined;
let prism: RunningPrism | undefined;
let scratch: string;
let npmHome: string;
let consumer: string;
let env: NodeJS.ProcessEnv;
let version: string;

beforeAll(async () => {
  registry = await startVerdaccio();
  prism = await startPrism();
  npmHome = mkdtempSync(join(tmpdir(), 'release-npm-'));
  const npmrc = join(npmHome, 'npmrc');
  const host = registry.url.replace(/^http:/, '');
  writeFileSync(
    npmrc,
    [
      // Only our scope comes from the test registry; everything else from the usual one.
      `@autofacilitate:registry=${registry.url}`,
      // npm will not publish without a credential; the registry lets anyone publish our scope.
      `${host}:_authToken=anonymous-publisher`,
      'update-notifier=false',
      'fund=false',
      'audit=false',
      '',
    ].join('\n'),
  );
  env = {
    // npm passes its own settings to scripts as npm_* variables: none of them may leak in.
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
    ...scratchGitEnv,
    PATH: [dirname(nodeBinary), process.env.PATH].join(':'),
    npm_config_userconfig: npmrc,
    npm_config_cache: join(npmHome, 'cache'),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
  };
  scratch = createScratchWorkspace('chore: the work tree as it is');
  consumer = mkdtempSync(join(tmpdir(), 'release-consumer-'));
}, STEP_TIMEOUT_MS);

afterAll(async () => {
  await prism?.stop();
  await registry?.stop();
  for (const dir of [scratch, npmHome, consumer]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const nx = (...args: string[]) =>
  run(nodeBinary, [join(scratch, 'node_modules/.bin/nx'), ...args], { cwd: scratch, env });
const npm = (cwd: string, ...args: string[]) => run('npm', args, { cwd, env });

test('every public package declares what its users and the registry read', () => {
  const missing = [...released.values()].flatMap((manifest) =>
    DECLARED.filter((field) => !(field in manifest)).map((field) => `${manifest.name}: ${field}`),
  );
  expect(missing).toEqual([]);
});

test('packages outside the release group depend on its packages as "*", so a new version never strands them', () => {
  // npm resolves a workspace dependency to the workspace only while its range allows the
  // workspace's version: a pinned one breaks `npm install` (and the release's lock update) the
  // moment a release moves the group on.
  const group = new Set([...released.values()].map((manifest) => manifest.name));
  const stranded: string[] = [];
  for (const dir of readdirSync(join(workspaceRoot, 'packages'))) {
    const path = join(workspaceRoot, 'packages', dir, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest & Record<string, unknown>;
    if (manifest.private !== true) continue;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries((manifest[field] as Record<string, string> | undefined) ?? {})) {
        if (group.has(name) && range !== '*') stranded.push(`${manifest.name} ${field}: ${name}@${range}`);
      }
    }
  }
  expect(stranded).toEqual([]);
});

test(
  'nx release versions the public packages together from the conventional commits, writes changelogs, commits and tags',
  async () => {
    // A feature lands in one package after the last release (here: the scratch copy's commit).
    appendFileSync(join(scratch, 'packages/client/README.md'), '\nReleased by the release end-to-end test.\n');
    scratchGit(scratch, 'commit', '--quiet', '--all', '--message', FEATURE);

    succeeded(await nx('release', '--skip-publish', '--first-release'), 'nx release');

    const versioned = publicPackages(scratch);
    expect([...versioned.keys()]).toEqual([...released.keys()]);
    const versions = new Set([...versioned.values()].map((manifest) => manifest.version));
    expect(versions.size).toBe(1);
    version = [...versions][0] as string;
    expect(version).not.toBe(released.get('client')?.version);
    // Dependencies inside the group move with it.
    for (const manifest of versioned.values()) {
      for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
        if (name.startsWith('@autofacilitate/'))
          expect(`${manifest.name} → ${name}@${range}`).toBe(`${manifest.name} → ${name}@${version}`);
      }
    }

    const changelog = readFileSync(join(scratch, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${version}`);
    expect(changelog).toContain(FEATURE.replace(/^feat\(client\): /, ''));
    for (const dir of versioned.keys())
      expect(readFileSync(join(scratch, 'packages', dir, 'CHANGELOG.md'), 'utf8')).toContain(`## ${version}`);
    expect(scratchGit(scratch, 'tag', '--list')).toBe(`v${version}`);
    expect(scratchGit(scratch, 'log', '-1', '--format=%s')).toBe(`chore(release): publish ${version}`);
  },
  STEP_TIMEOUT_MS,
);

test(
  'the spec review compares with the release nx release just tagged',
  async () => {
    const review = await run(nodeBinary, ['tools/review/review.mjs'], { cwd: scratch, env });
    expect(review.stdout).toContain(`against v${version}, the last release tag (v{version}, as nx release tags).`);
    expect(review.stdout).toContain('No breaking changes.');
    // Its stderr may say the generator's JAR was fetched: the scratch copy leaves git-ignored files out.
    expect(review.code).toBe(0);
  },
  STEP_TIMEOUT_MS,
);

test(
  'nx release publish puts every public package on the registry, with nothing but what it needs',
  async () => {
    succeeded(await nx('release', 'publish', '--registry', registry!.url), 'nx release publish');

    for (const manifest of released.values()) {
      const packument = (await (await fetch(`${registry!.url}${manifest.name.replace('/', '%2f')}`)).json()) as {
        'dist-tags': { latest: string };
      };
      expect(`${manifest.name}@${packument['dist-tags'].latest}`).toBe(`${manifest.name}@${version}`);

      const packed = succeeded(
        await npm(npmHome, 'pack', `${manifest.name}@${version}`, '--dry-run', '--json'),
        'npm pack',
      );
      const files =
        (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((file) => file.path) ??
        [];
      expect(files).toContain('package.json');
      expect(files.filter((file) => NOT_SHIPPED.test(file)).map((file) => `${manifest.name}: ${file}`)).toEqual([]);
    }
  },
  STEP_TIMEOUT_MS,
);

describe('a new project outside the repo, installing from the registry', () => {
  // The applications find the API the way the CLI does: in AUTOFACILITATE_BASE_URL.
  const appEnv = () => ({ ...env, AUTOFACILITATE_BASE_URL: prism!.url });

  beforeAll(async () => {
    succeeded(await npm(consumer, 'init', '-y'), 'npm init');
    const packages = installed.map((name) => `@autofacilitate/${name}@${version}`);
    succeeded(await npm(consumer, 'install', ...packages), `npm install ${packages.join(' ')}`);
    for (const file of readdirSync(CONSUMERS)) copyFileSync(join(CONSUMERS, file), join(consumer, file));
  }, STEP_TIMEOUT_MS);

  test('gets every package from the test registry', () => {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string; resolved: string }>;
    };
    const ours = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/@autofacilitate/'));
    expect(ours.map(([path]) => path).sort()).toEqual(
      fromRegistry.map((name) => `node_modules/@autofacilitate/${name}`).sort(),
    );
    for (const [path, entry] of ours) {
      expect(`${path} ${entry.version}`).toBe(`${path} ${version}`);
      expect(entry.resolved.startsWith(registry!.url)).toBe(true);
    }
  });

  test(
    'ESM TypeScript applications type-check against the published types and call the mock',
    async () => {
      const applications = readdirSync(consumer).filter((file) => file.endsWith('.mts'));
      expect(applications.sort()).toEqual(['client-esm.mts', 'sdk-esm.mts']);
      const tsconfig = {
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['es2023', 'dom'],
          strict: true,
          noEmit: true,
          // What Node's type stripping runs as it is.
          erasableSyntaxOnly: true,
          verbatimModuleSyntax: true,
          types: ['node'],
          typeRoots: [join(workspaceRoot, 'node_modules/@types')],
        },
        files: applications,
      };
      writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      const tsc = join(workspaceRoot, 'node_modules/typescript/bin/tsc');
      expect(await run(nodeBinary, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, env })).toMatchObject({
        code: 0,
        output: '',
      });

      for (const application of applications) {
        const result = succeeded(
          await run(nodeBinary, [application], { cwd: consumer, env: appEnv() }),
          `node ${application}`,
        );
        expect(JSON.parse(result.stdout)).toEqual({
          package: application.split('-')[0],
          module: 'esm',
          triggerUUID: '1234',
          status: 'succeeded',
        });
      }
    },
    STEP_TIMEOUT_MS,
  );

  test(
    'CommonJS applications require them and call the mock',
    async () => {
      const applications = readdirSync(consumer).filter((file) => file.endsWith('.cjs'));
      expect(applications.sort()).toEqual(['client-cjs.cjs', 'sdk-cjs.cjs']);
      for (const application of applications) {
        const result = succeeded(
          await run(nodeBinary, [application], { cwd: consumer, env: appEnv() }),
          `node ${application}`,
        );
        expect(result.stderr).toBe('');
        expect(JSON.parse(result.stdout)).toEqual({
          package: application.split('-')[0],
          module: 'cjs',
          triggerUUID: '1234',
          status: 'succeeded',
        });
      }
    },
    STEP_TIMEOUT_MS,
  );

  test(
    'the server loads from what the registry installed',
    async () => {
      const load = "const { createServer } = await import('@autofacilitate/server'); console.log(typeof createServer);";
      const result = succeeded(
        await run(nodeBinary, ['--input-type=module', '--eval', load], { cwd: consumer, env }),
        'import @autofacilitate/server',
      );
      expect(result.stdout.trim()).toBe('function');
    },
    STEP_TIMEOUT_MS,
  );

  if (withCli) {
    // The settings go in the CLI's environment variables, and its profile file is an empty one of
    // the test's, so the user's own profiles are never read.
    const cliEnv = () => ({
      ...appEnv(),
      AUTOFACILITATE_ORG_ID: 'acme',
      AUTOFACILITATE_CLIENT_ID: 'consumer-client',
      AUTOFACILITATE_CLIENT_SECRET: 'consumer-secret',
      AUTOFACILITATE_API_KEY: 'consumer-key',
      AUTOFACILITATE_PROFILE_FILE: join(consumer, 'profiles.json'),
    });
    beforeAll(() => writeFileSync(join(consumer, 'profiles.json'), '{}\n'));
    const autofacilitate = async (...args: string[]) => {
      // Without the bin, npx would look for a package named `autofacilitate` on the public registry.
      if (!existsSync(join(consumer, 'node_modules/.bin/autofacilitate'))) {
        throw new Error(
          'The installed @autofacilitate/cli has no `autofacilitate` bin: was it built before it was published?',
        );
      }
      return succeeded(
        await run('npx', ['autofacilitate', ...args], { cwd: consumer, env: cliEnv() }),
        `npx autofacilitate ${args.join(' ')}`,
      );
    };

    test(
      '`npx autofacilitate --help` lists every command',
      async () => {
        const result = await autofacilitate('--help');
        for (const command of ['token', 'execute', 'result', 'serve', 'mock'])
          expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
      },
      STEP_TIMEOUT_MS,
    );

    test(
      '`npx autofacilitate execute … --wait` starts a trigger on the mock and waits for its outcome',
      async () => {
        const result = await autofacilitate('execute', 'ServerName', '--wait');
        expect(result.stdout).toContain('succeeded');
      },
      STEP_TIMEOUT_MS,
    );
  }
});

test('leaves no registry, process or ~/.npmrc change behind', async () => {
  const url = registry!.url;
  await prism?.stop();
  await registry?.stop();
  const refused = await fetch(url).then(
    () => false,
    () => true,
  );
  expect(refused).toBe(true);
  for (const dir of [scratch, npmHome, consumer]) rmSync(dir, { recursive: true, force: true });
  expect([scratch, npmHome, consumer].filter((dir) => existsSync(dir))).toEqual([]);
  expect(readNpmrc()).toBe(npmrcBefore);
});
