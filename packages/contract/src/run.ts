import { execFile, type ExecFileOptions } from 'node:child_process';

/** How a command ended: its exit code and what it printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for assertions that do not care which stream said it. */
  output: string;
}

/**
 * Runs a command to its end and resolves with its exit code and output, whether it succeeded or
 * not, so a test can assert on a failure as easily as on a success.
 */
export function run(command: string, args: string[], options: ExecFileOptions = {}): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : NaN) : 0;
      if (Number.isNaN(code)) {
        reject(new Error(`${command} ${args.join(' ')} could not run: ${error?.message}`, { cause: error }));
        return;
      }
      resolveRun({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

/** Returns the result of a command that must succeed, or fails with everything it printed. */
export function succeeded(result: RunResult, what: string): RunResult {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}:\n${result.output}`);
  return result;
}
