// Regenerates packages/client/src/generated from the spec with openapi-generator.
//   node tools/generator/generate.mjs          write the generated code (stale files removed)
//   node tools/generator/generate.mjs --check  fail when the committed code differs from a fresh run
// Run from the repo root, like the wrapper. `generateClient` is exported so the spec review can
// generate the client of any spec the same way.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureJar } from './ensure-jar.mjs';
import { writeOrCheck } from './generated-folder.mjs';

const CONFIG = 'openapitools.json';
const GENERATOR_KEY = 'client';

/**
 * Generates the client of `inputSpec` into `output` (a fresh folder) with the settings of
 * openapitools.json, through a scratch copy of that file so the committed one is never rewritten.
 */
export function generateClient(inputSpec, output) {
  const config = JSON.parse(readFileSync(CONFIG, 'utf8'));
  const cli = config['generator-cli'];
  ensureJar();

  const scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-generator-config-'));
  try {
    const scratchConfig = structuredClone(config);
    scratchConfig['generator-cli'].storageDir = resolve(cli.storageDir);
    Object.assign(scratchConfig['generator-cli'].generators[GENERATOR_KEY], {
      inputSpec: resolve(inputSpec),
      output: resolve(output),
    });
    const configPath = join(scratch, CONFIG);
    writeFileSync(configPath, JSON.stringify(scratchConfig, null, 2));

    execFileSync(
      process.execPath,
      [
        resolve('node_modules/@openapitools/openapi-generator-cli/main.js'),
        '--openapitools',
        configPath,
        'generate',
        '--generator-key',
        GENERATOR_KEY,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generator = JSON.parse(readFileSync(CONFIG, 'utf8'))['generator-cli'].generators[GENERATOR_KEY];
  await writeOrCheck({
    target: relative(process.cwd(), resolve(generator.output)),
    source: generator.inputSpec,
    command: 'npm run generate',
    generate: (output) => generateClient(generator.inputSpec, output),
  });
}
