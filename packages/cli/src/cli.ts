#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { run } from './program';
import { Interrupted } from './stopped-waiting';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// A reader that goes away (`autofacilitate --help | head`) is no error: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// Ctrl-C aborts the call in flight (the SDK stops retries and polling at once); a wait then says
// how to resume it. A second Ctrl-C ends the process at once.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Interrupted()));

const status = await run(
  process.argv.slice(2),
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal },
  version,
);
process.exitCode = status;
