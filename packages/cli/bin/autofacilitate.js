#!/usr/bin/env node
// Launches the built CLI. This file exists before any build, so npm links the `autofacilitate`
// command in a fresh clone of the repository too; the code it runs is dist/cli.js.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('autofacilitate is not built yet: run `npx nx run cli:build` first\n');
    process.exit(1);
  }
  throw error;
});
