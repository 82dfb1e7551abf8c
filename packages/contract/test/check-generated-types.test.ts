// `types:check-generated` must fail when the spec changes and the types are not regenerated, and
// once they are, a spec change the server does not follow must fail the server's type check.
// Proven on a scratch copy of the generator's inputs, so the work tree is never touched.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { run } from '../src/run';
import { scratchCopy } from '../src/scratch-copy';

let scratch: string;

beforeAll(() => {
  scratch = scratchCopy(
    'check-generated-types-',
    ['spec', 'tools/generator', 'packages/types/package.json', 'packages/types/src'],
    // openapi-typescript and the TypeScript it wants live beside the types package.
    ['node_modules', 'packages/types/node_modules'],
  );
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const node = (file: string, ...args: string[]) => run(nodeBinary, [file, ...args], { cwd: scratch });
const check = () => node('tools/generator/generate-types.mjs', '--check');

/** `tsc` over the server's sources, with `@autofacilitate/types` taken from the scratch copy. */
function typeCheckServer() {
  const tsconfig = {
    extends: join(workspaceRoot, 'tsconfig.base.json'),
    compilerOptions: {
      noEmit: true,
      paths: { '@autofacilitate/types': [join(scratch, 'packages/types/src/index.ts')] },
    },
    include: [join(workspaceRoot, 'packages/server/src/**/*.ts')],
  };
  writeFileSync(join(scratch, 'tsconfig.server.json'), JSON.stringify(tsconfig));
  return node(join(workspaceRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json');
}

test('passes while the committed types match the spec', async () => {
  expect(await check()).toMatchObject({ code: 0, output: expect.stringContaining('matches') });
});

test('the server type-checks against the committed types', async () => {
  expect(await typeCheckServer()).toMatchObject({ code: 0, output: '' });
});

describe('after a property of the execute answer is renamed in the spec', () => {
  beforeAll(() => {
    const spec = join(scratch, 'spec/autofacilitate.yaml');
    const before = readFileSync(spec, 'utf8');
    const renamed = before.replace(
      "        triggerUUID:\n          type: string\n          description: >-\n            The trigger's identifier, used",
      "        triggerId:\n          type: string\n          description: >-\n            The trigger's identifier, used",
    );
    expect(renamed).not.toBe(before);
    writeFileSync(spec, renamed);
  });

  test('check-generated fails, naming the stale file', async () => {
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('changed: autofacilitate.ts');
    expect(result.output).toContain('npx nx run types:generate');
  });

  test('once the types are regenerated, the server fails its type check where it answers execute', async () => {
    expect(await node('tools/generator/generate-types.mjs')).toMatchObject({ code: 0 });
    const result = await typeCheckServer();
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/operations\/execute-service\.ts\(\d+,\d+\): error TS\d+: .*triggerUUID/);
  }, 300_000);
});
