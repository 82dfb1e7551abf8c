#!/usr/bin/env node
// Launches the built server. It checks Node's version first, in syntax any Node parses, because
// the server's code fails to load on a Node older than its engines allow (with a stack trace).
// The file exists before any build, so npm links the `autofacilitate-server` command in a fresh
// clone of the repository too.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const needed = Number(/>=\s*(\d+)/.exec(engines.node)[1]);
if (Number(process.versions.node.split('.')[0]) < needed) {
  process.stderr.write(
    `autofacilitate-server needs Node.js ${needed} or later (${engines.node}); this is Node.js ${process.versions.node}\n`,
  );
  process.exit(1);
}

import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write('autofacilitate-server is not built yet: run `npx nx run server:build` first\n');
    process.exit(1);
  }
  throw error;
});
