// Regenerates packages/types/src/generated from the spec with openapi-typescript.
//   node tools/generator/generate-types.mjs          write the generated types
//   node tools/generator/generate-types.mjs --check  fail when the committed types differ from a fresh run
// Like the client's generate.mjs, it writes into a scratch folder first, so a check never touches
// the work tree. Run from the repo root.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compare } from './generate.mjs';

const SPEC = 'spec/autofacilitate.yaml';
const TARGET = 'packages/types/src/generated';
const FILE = 'autofacilitate.ts';

// openapi-typescript is the types package's devDependency: it wants TypeScript 5 beside it, while
// the repo builds with TypeScript 6, so npm keeps both under packages/types.
const { default: openapiTS, astToString, COMMENT_HEADER } = createRequire(resolve('packages/types/package.json'))('openapi-typescript');
const HEADER = `${COMMENT_HEADER}// DO NOT EDIT: change ${SPEC} and run \`npx nx run types:generate\`.\n\n`;

/** Generates the types of `inputSpec` into the folder `output`. */
export async function generateTypes(inputSpec, output) {
  // Root types (`ErrorResponse`, `TriggerResult`…) spare every user the `components['schemas'][…]` path.
  const ast = await openapiTS(pathToFileURL(resolve(inputSpec)), { rootTypes: true, rootTypesNoSchemaPrefix: true });
  mkdirSync(output, { recursive: true });
  writeFileSync(join(output, FILE), HEADER + astToString(ast));
}

async function main() {
  const check = process.argv.includes('--check');
  const scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-types-'));
  try {
    const output = join(scratch, 'generated');
    await generateTypes(SPEC, output);
    if (check) {
      const differences = compare(output, resolve(TARGET));
      if (differences.length > 0) {
        console.error(
          `The generated types are stale: ${differences.length} file(s) differ from what the spec generates:\n` +
            differences.map((d) => `  ${d}`).join('\n') +
            '\nRun `npx nx run types:generate` and commit the result.',
        );
        process.exitCode = 1;
        return;
      }
      console.log(`The generated types match ${SPEC}.`);
    } else {
      cpSync(output, resolve(TARGET), { recursive: true });
      console.log(`Generated ${relative(process.cwd(), resolve(TARGET, FILE))}.`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
