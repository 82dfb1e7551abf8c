// Regenerates packages/client/src/generated from the spec with openapi-generator.
//   node tools/generator/generate.mjs          write the generated code (stale files removed)
//   node tools/generator/generate.mjs --check  fail when the committed code differs from a fresh run
// The generator writes into a scratch folder first, so a check never touches the work tree and a
// failed run never leaves half-written code behind. Run from the repo root, like the wrapper.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ensureJar } from './ensure-jar.mjs';

const CONFIG = 'openapitools.json';
const GENERATOR_KEY = 'client';
// Hand-written files that live beside the generated ones.
const KEEP = new Set(['README.md']);

const check = process.argv.includes('--check');
const config = JSON.parse(readFileSync(CONFIG, 'utf8'));
const cli = config['generator-cli'];
const target = resolve(cli.generators[GENERATOR_KEY].output);

ensureJar();

const scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-client-'));
try {
  const output = join(scratch, 'generated');
  // Same settings as openapitools.json, written to the scratch folder.
  const scratchConfig = structuredClone(config);
  scratchConfig['generator-cli'].storageDir = resolve(cli.storageDir);
  Object.assign(scratchConfig['generator-cli'].generators[GENERATOR_KEY], {
    inputSpec: resolve(cli.generators[GENERATOR_KEY].inputSpec),
    output,
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

  if (check) {
    const differences = compare(output, target);
    if (differences.length > 0) {
      console.error(
        `The generated client is stale: ${differences.length} file(s) differ from what the spec generates:\n` +
          differences.map((d) => `  ${d}`).join('\n') +
          '\nRun `npm run generate` and commit the result.',
      );
      process.exit(1);
    }
    console.log(`The generated client matches ${cli.generators[GENERATOR_KEY].inputSpec}.`);
  } else {
    for (const entry of existsSync(target) ? readdirSync(target) : []) {
      if (!KEEP.has(entry)) rmSync(join(target, entry), { recursive: true, force: true });
    }
    cpSync(output, target, { recursive: true });
    console.log(`Generated ${relative(process.cwd(), target)}.`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** Lists the files that are missing, extra or different between the fresh and committed trees. */
function compare(fresh, committed) {
  const freshFiles = listFiles(fresh);
  const committedFiles = listFiles(committed).filter((file) => !KEEP.has(file));
  const differences = [];
  for (const file of freshFiles) {
    if (!committedFiles.includes(file)) differences.push(`missing: ${file}`);
    else if (!readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file)))) differences.push(`changed: ${file}`);
  }
  for (const file of committedFiles) {
    if (!freshFiles.includes(file)) differences.push(`extra:   ${file}`);
  }
  return differences;
}

function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    const name = prefix ? `${prefix}/${entry}` : entry;
    return statSync(path).isDirectory() ? listFiles(path, name) : [name];
  });
}
