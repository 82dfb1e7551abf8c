import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The built binary, run as users run it. */
const cli = join(__dirname, '../../bin/autofacilitate.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only the environment given (plus PATH/HOME), so the machine's settings never leak in. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: '/nonexistent', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolveRun({ code, stdout, stderr });
      },
    );
  });
}
