// Regenerates packages/client/src/generated from the spec with openapi-generator.
//   node tools/generator/generate.mjs          write the generated code (stale files removed)
//   node tools/generator/generate.mjs --check  fail when the committed code differs from a fresh run
// The generator writes into a scratch folder first, so a check never touches the work tree and a
// failed run never leaves half-written code behind. Run from the repo root, like the wrapper.
// `generateClient` is exported so the spec review can generate the client of any spec the same way.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureJar } from './ensure-jar.mjs';

const CONFIG = 'openapitools.json';
const GENERATOR_KEY = 'client';
// Hand-written files that live beside the generated ones.
const KEEP = new Set(['README.md']);

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

function main() {
  const check = process.argv.includes('--check');
  const generator = JSON.parse(readFileSync(CONFIG, 'utf8'))['generator-cli'].generators[GENERATOR_KEY];
  const target = resolve(generator.output);

  const scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-client-'));
  try {
    const output = join(scratch, 'generated');
    generateClient(generator.inputSpec, output);

    if (check) {
      const differences = compare(output, target);
      if (differences.length > 0) {
        console.error(
          `The generated client is stale: ${differences.length} file(s) differ from what the spec generates:\n` +
            differences.map((d) => `  ${d}`).join('\n') +
            '\nRun `npm run generate` and commit the result.',
        );
        process.exitCode = 1;
        return;
      }
      console.log(`The generated client matches ${generator.inputSpec}.`);
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
}

/** Lists the files that are missing, extra or different between the fresh and committed trees. */
export function compare(fresh, committed) {
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

/** Every file under `dir`, as `/`-separated paths relative to it. */
export function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    const name = prefix ? `${prefix}/${entry}` : entry;
    return statSync(path).isDirectory() ? listFiles(path, name) : [name];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
