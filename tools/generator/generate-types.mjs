// Regenerates packages/types/src/generated from the spec with openapi-typescript.
//   node tools/generator/generate-types.mjs          write the generated types
//   node tools/generator/generate-types.mjs --check  fail when the committed types differ from a fresh run
// Run from the repo root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeOrCheck } from './generated-folder.mjs';

const SPEC = 'spec/autofacilitate.yaml';
const TARGET = 'packages/types/src/generated';
const FILE = 'autofacilitate.ts';

// openapi-typescript is the types package's devDependency: it wants TypeScript 5 beside it, while
// the repo builds with TypeScript 6, so npm keeps both under packages/types.
const {
  default: openapiTS,
  astToString,
  COMMENT_HEADER,
} = createRequire(resolve('packages/types/package.json'))('openapi-typescript');
const HEADER = `${COMMENT_HEADER}// DO NOT EDIT: change ${SPEC} and run \`npx nx run types:generate\`.\n\n`;

/** Generates the types of `inputSpec` into the folder `output`. */
export async function generateTypes(inputSpec, output) {
  // Root types (`ErrorResponse`, `TriggerResult`…) spare every user the `components['schemas'][…]` path.
  const ast = await openapiTS(pathToFileURL(resolve(inputSpec)), { rootTypes: true, rootTypesNoSchemaPrefix: true });
  mkdirSync(output, { recursive: true });
  writeFileSync(join(output, FILE), HEADER + astToString(ast));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeOrCheck({
    target: TARGET,
    source: SPEC,
    command: 'npx nx run types:generate',
    generate: (output) => generateTypes(SPEC, output),
  });
}
