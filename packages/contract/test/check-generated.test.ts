// `check-generated` must fail when the spec changes and the client is not regenerated. Proven on a
// scratch copy of the generator's inputs, so the work tree is never touched.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nodeBinary, workspaceRoot } from '../src/paths';

const run = promisify(execFile);
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'check-generated-'));
  for (const path of ['openapitools.json', 'spec', 'tools/generator', 'packages/client/src/generated']) {
    cpSync(join(workspaceRoot, path), join(scratch, path), { recursive: true });
  }
  symlinkSync(join(workspaceRoot, 'node_modules'), join(scratch, 'node_modules'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function check() {
  return run(nodeBinary, ['tools/generator/generate.mjs', '--check'], { cwd: scratch }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );
}

test('passes while the committed client matches the spec', async () => {
  const result = await check();
  expect(result).toEqual({ code: 0, output: expect.stringContaining('matches') });
});

test('fails, naming the stale file, after a schema changes without regenerating', async () => {
  const spec = join(scratch, 'spec/autofacilitate.yaml');
  writeFileSync(
    spec,
    readFileSync(spec, 'utf8').replace(
      '        triggerUUID:\n          type: string\n          description: >-\n            The trigger\'s identifier, used',
      '        priority:\n          type: integer\n          description: A new property.\n        triggerUUID:\n          type: string\n          description: >-\n            The trigger\'s identifier, used',
    ),
  );
  expect(readFileSync(spec, 'utf8')).toContain('priority:');

  const result = await check();
  expect(result.code).toBe(1);
  expect(result.output).toContain('changed: models/TriggerResult.ts');
  expect(result.output).toContain('npm run generate');
});
