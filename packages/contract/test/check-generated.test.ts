// `check-generated` must fail when the spec changes and the client is not regenerated. Proven on a
// scratch copy of the generator's inputs, so the work tree is never touched.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBinary } from '../src/paths';
import { run } from '../src/run';
import { scratchCopy } from '../src/scratch-copy';

let scratch: string;

beforeAll(() => {
  scratch = scratchCopy('check-generated-', [
    'openapitools.json',
    'spec',
    'tools/generator',
    'packages/client/src/generated',
  ]);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const check = () => run(nodeBinary, ['tools/generator/generate.mjs', '--check'], { cwd: scratch });

test('passes while the committed client matches the spec', async () => {
  const result = await check();
  expect(result).toMatchObject({ code: 0, output: expect.stringContaining('matches') });
});

test('fails, naming the stale file, after a schema changes without regenerating', async () => {
  const spec = join(scratch, 'spec/autofacilitate.yaml');
  writeFileSync(
    spec,
    readFileSync(spec, 'utf8').replace(
      "        triggerUUID:\n          type: string\n          description: >-\n            The trigger's identifier, used",
      "        priority:\n          type: integer\n          description: A new property.\n        triggerUUID:\n          type: string\n          description: >-\n            The trigger's identifier, used",
    ),
  );
  expect(readFileSync(spec, 'utf8')).toContain('priority:');

  const result = await check();
  expect(result.code).toBe(1);
  expect(result.output).toContain('changed: models/TriggerResult.ts');
  expect(result.output).toContain('npm run generate');
});
