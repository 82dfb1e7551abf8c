import { join } from 'node:path';
import { startChild } from './child';
import { nodeBinary, specPath, workspaceRoot } from './paths';

const dreddBin = join(workspaceRoot, 'node_modules/dredd/bin/dredd');

export interface DreddOptions {
  /** The server under test. */
  endpoint: string;
  /** Node hook files (absolute paths). */
  hookfiles: string[];
  /** Extra environment for the hooks, which run inside the Dredd process. */
  env?: NodeJS.ProcessEnv;
}

export interface DreddResult {
  passing: number;
  failing: number;
  errors: number;
  skipped: number;
  total: number;
  /** Everything Dredd printed, for assertions and for failure messages. */
  output: string;
}

/** Runs the real Dredd CLI on the spec against `endpoint` and reads its closing summary. */
export async function runDredd(options: DreddOptions): Promise<DreddResult> {
  const args = [dreddBin, specPath, options.endpoint, '--language=nodejs', '--color=false', '--loglevel=warning'];
  for (const hookfile of options.hookfiles) args.push(`--hookfiles=${hookfile}`);
  const child = startChild(nodeBinary, args, options.env);
  await child.exited;
  const output = child.output();
  // e.g. "complete: 19 passing, 0 failing, 0 errors, 8 skipped, 27 total"
  const summary = /complete: ([^\n]*?)(\d+) total/.exec(output);
  if (!summary) throw new Error(`Dredd printed no summary:\n${output}`);
  const counts = summary[1] ?? '';
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(counts)?.[1] ?? 0);
  return {
    passing: count('passing'),
    failing: count('failing'),
    errors: count('errors'),
    skipped: count('skipped'),
    total: Number(summary[2]),
    output,
  };
}
