// Spectral on the working-tree spec with the repo's rules (.spectral.yaml), failing on warnings
// like `nx run spec:lint`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { SPEC } from './git.mjs';

/** Lints the spec: `{ passed, output }`, the output being Spectral's own report. */
export function lint() {
  const result = spawnSync(
    process.execPath,
    [resolve('node_modules/@stoplight/spectral-cli/dist/index.js'), 'lint', SPEC, '--fail-severity=warn'],
    { encoding: 'utf8' },
  );
  if (result.error) throw result.error;
  return { passed: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
