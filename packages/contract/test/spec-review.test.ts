// `npm run spec:review` on scratch repos: each holds the spec (committed, tagged as a release) and
// the tools the review runs, so the work tree, its history and its tags are never touched.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { run } from '../src/run';
import { scratchGit, scratchGitEnv } from '../src/scratch-git';

// What the review reads: the release tag scheme, the spec and its lint rules, the generator and its settings, the tools.
const REVIEW_INPUTS = [
  'nx.json',
  'spec',
  '.spectral.yaml',
  'openapitools.json',
  'tools/generator',
  'tools/review',
  'tools/docs',
];
const SPEC = 'spec/autofacilitate.yaml';
// Each review generates the client twice (a JVM each time): give it room on a small machine.
const REVIEW_TIMEOUT_MS = 600_000;

const scratches: string[] = [];
const released = readFileSync(join(workspaceRoot, SPEC), 'utf8');

/** A scratch repo whose one commit holds the released spec, tagged as `nx release` tags a release if `tag`. */
function scratchRepo(tag?: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'spec-review-'));
  scratches.push(repo);
  // The generator's JAR is git-ignored and large: shared below, not copied.
  const jar = join(workspaceRoot, 'tools/generator/jar');
  for (const path of REVIEW_INPUTS) {
    cpSync(join(workspaceRoot, path), join(repo, path), { recursive: true, filter: (source) => source !== jar });
  }
  writeFileSync(join(repo, SPEC), released);
  symlinkSync(join(workspaceRoot, 'node_modules'), join(repo, 'node_modules'));
  if (existsSync(jar)) symlinkSync(jar, join(repo, 'tools/generator/jar'));
  scratchGit(repo, 'init', '--quiet', '--initial-branch=main');
  scratchGit(repo, 'add', 'spec');
  scratchGit(repo, 'commit', '--quiet', '--message', 'spec: release');
  if (tag) scratchGit(repo, 'tag', tag);
  return repo;
}

/** Rewrites the scratch spec with `edit` applied to the released one. */
function editSpec(repo: string, edit: (spec: ReturnType<typeof parseDocument>) => void) {
  const spec = parseDocument(released);
  edit(spec);
  writeFileSync(join(repo, SPEC), String(spec));
}

const review = (repo: string, ...args: string[]) =>
  run(nodeBinary, ['tools/review/review.mjs', ...args], { cwd: repo, env: { ...process.env, ...scratchGitEnv } });

const removeMessage = (spec: ReturnType<typeof parseDocument>) => {
  expect(spec.deleteIn(['components', 'schemas', 'triggerResult', 'properties', 'message'])).toBe(true);
};

afterAll(() => {
  for (const scratch of scratches) rmSync(scratch, { recursive: true, force: true });
});

describe('against the last release, the newest v<version> tag', () => {
  let repo: string;
  beforeAll(() => {
    repo = scratchRepo('v0.1.0');
  });

  test(
    'the released spec passes: lint clean, no breaking change, the same client, docs rendered',
    async () => {
      const result = await review(repo);
      expect(result).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('against v0.1.0, the last release tag (v{version}, as nx release tags).');
      expect(result.stdout).toContain("No results with a severity of 'warn' or higher found!");
      expect(result.stdout).toContain('No breaking changes.');
      expect(result.stdout).toContain('No change: both specs generate the same client.');
      expect(result.stdout).toContain('dist/docs/autofacilitate.html');
      expect(readFileSync(join(repo, 'dist/docs/autofacilitate.html'), 'utf8')).toContain('AutoFacilitate');
      expect(result.stdout).toContain('Spec review passed.');
    },
    REVIEW_TIMEOUT_MS,
  );

  test(
    'removing a response property fails it, naming the change and the way out',
    async () => {
      editSpec(repo, removeMessage);
      const result = await review(repo);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /1 breaking change:\n {2}response\.body\.scope\.add \(.*\) at .*execute\/\{vsn\}\.post\.responses\.200/,
      );
      expect(result.stdout).toMatch(/changed +models\/TriggerResult\.ts +\+\d+ -[1-9]/);
      expect(result.stderr).toContain(
        "Spec review failed: 1 breaking change while info.version's major is still 1 (1.0.0 at v0.1.0): " +
          'make the change compatible, or raise the major to 2.0.0.',
      );
    },
    REVIEW_TIMEOUT_MS,
  );

  test(
    'the same removal passes once the major version is raised',
    async () => {
      editSpec(repo, (spec) => {
        removeMessage(spec);
        spec.setIn(['info', 'version'], '2.0.0');
      });
      const result = await review(repo);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('info.version: 1.0.0 at v0.1.0, 2.0.0 in the working tree.');
      expect(result.stdout).toContain('Breaking changes are allowed: the major version was raised (1 → 2).');
      expect(result.stdout).toContain('Spec review passed.');
    },
    REVIEW_TIMEOUT_MS,
  );

  test(
    'a breaking change a reviewer accepted by name passes, printing why; an entry that matches nothing is named for removal',
    async () => {
      editSpec(repo, removeMessage);
      const location =
        'paths./via/v2/organizations/{orgId}/autoFacilitate/execute/{vsn}.post.responses.200.content.application/json.schema';
      writeFileSync(
        join(repo, 'spec/accepted-breaking-changes.yaml'),
        [
          `- { code: response.body.scope.add, location: "${location}", why: Clients ignore the message. }`,
          '- { code: path.remove, location: paths./nowhere, why: Gone long ago. }',
        ].join('\n'),
      );
      try {
        const result = await review(repo);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain('No breaking changes.');
        expect(result.stdout).toContain(
          `1 accepted breaking change (spec/accepted-breaking-changes.yaml):\n  response.body.scope.add (`,
        );
        expect(result.stdout).toContain(`at ${location}\n    why: Clients ignore the message.`);
        expect(result.stdout).toContain(
          'Not a change against v0.1.0, remove it from spec/accepted-breaking-changes.yaml: path.remove at paths./nowhere',
        );

        // The same list does not cover another breaking change.
        editSpec(repo, (spec) => {
          removeMessage(spec);
          expect(spec.deleteIn(['paths', '/tokenservice/oauth2/access_token'])).toBe(true);
        });
        const other = await review(repo);
        expect(other.code).toBe(1);
        expect(other.stderr).toContain("Spec review failed: 1 breaking change while info.version's major is still 1");
      } finally {
        rmSync(join(repo, 'spec/accepted-breaking-changes.yaml'));
      }
    },
    2 * REVIEW_TIMEOUT_MS,
  );

  test(
    'adding an optional response property passes, and the client diff shows the lines it adds',
    async () => {
      editSpec(repo, (spec) => {
        spec.setIn(['components', 'schemas', 'triggerResult', 'properties', 'priority'], {
          type: 'integer',
          description: 'A new optional property.',
          example: 1,
        });
      });
      const result = await review(repo);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('No breaking changes.');
      expect(result.stdout).toMatch(/Files: 2 changed, 0 added, 0 removed; lines: \+[1-9]\d* -0/);
      expect(result.stdout).toMatch(/changed +models\/TriggerResult\.ts +\+[1-9]\d* -0/);
      expect(result.stdout).toContain('Spec review passed.');
    },
    REVIEW_TIMEOUT_MS,
  );

  test(
    '--base compares with any ref instead',
    async () => {
      const repoWithChange = scratchRepo('v0.1.0');
      editSpec(repoWithChange, removeMessage);
      scratchGit(repoWithChange, 'commit', '--quiet', '--all', '--message', 'spec: remove message');
      const result = await review(repoWithChange, '--base', 'HEAD');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('against HEAD, as given with --base.');
      expect(result.stdout).toContain('No breaking changes.');
    },
    REVIEW_TIMEOUT_MS,
  );
});

test(
  'without a reachable release tag (a clone that did not bring tags), it compares with the first commit of the current version',
  async () => {
    const repo = scratchRepo();
    const first = scratchGit(repo, 'rev-parse', '--short=12', 'HEAD');
    editSpec(repo, removeMessage);
    scratchGit(repo, 'commit', '--quiet', '--all', '--message', 'spec: remove message');
    const result = await review(repo);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `against ${first}, the first commit of ${SPEC} at version 1.0.0, as no release tag (v{version}) is reachable.`,
    );
    expect(result.stderr).toContain('1 breaking change');
  },
  REVIEW_TIMEOUT_MS,
);
