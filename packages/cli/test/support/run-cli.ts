import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

/** The built binary, run as users run it. */
export const cli = join(__dirname, '../../bin/autofacilitate.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only the environment given (plus PATH/HOME), so the machine's settings never leak in. */
function environment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
    HOME: process.env.HOME,
    XDG_CONFIG_HOME: '/nonexistent',
    ...env,
  };
}

/** Runs the CLI (or another copy of its binary) to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, binary = cli): Promise<CliRun> {
  return new Promise((resolveRun) => {
    execFile(process.execPath, [binary, ...args], { env: environment(env) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** A CLI still running: what it wrote so far, and events to wait for. */
export interface RunningCli {
  child: ChildProcess;
  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group (a shell and the CLI it runs). */
  interrupt(): void;
  /** Resolves once stderr matches `pattern`; rejects if the CLI ends first. */
  stderrMatches(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves once stdout matches `pattern`; rejects if the CLI ends first. */
  stdoutMatches(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code and everything written, once the CLI has ended. */
  ended: Promise<CliRun>;
}

/** Starts the CLI (or, with `shell`, a shell command line that runs `autofacilitate`) in a child process. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  { shell = false, cwd = process.cwd() } = {},
): RunningCli {
  // A process group of its own, as a terminal's foreground job has.
  const child = shell
    ? spawn('sh', ['-c', args.join(' ')], {
        cwd,
        detached: true,
        env: environment({
          ...env,
          PATH: `${join(__dirname, 'bin')}:${dirname(process.execPath)}:${process.env.PATH}`,
        }),
      })
    : spawn(process.execPath, [cli, ...args], { cwd, detached: true, env: environment(env) });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const ended = new Promise<CliRun>((resolveEnd) =>
    child.on('close', (code) => resolveEnd({ code: code ?? 1, stdout, stderr })),
  );
  let over = false;
  const matches = (text: () => string, pattern: RegExp, stream: string) =>
    new Promise<RegExpExecArray>((resolveMatch, reject) => {
      const check = () => {
        const match = pattern.exec(text());
        if (match) {
          waiters.delete(check);
          resolveMatch(match);
        } else if (over) {
          waiters.delete(check);
          reject(new Error(`the CLI ended before writing ${pattern} on ${stream}:\n${stdout}\n${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });
  void ended.then(() => {
    over = true;
    for (const waiter of waiters) waiter();
  });
  return {
    child,
    interrupt: () => process.kill(-child.pid!, 'SIGINT'),
    ended,
    stderrMatches: (pattern) => matches(() => stderr, pattern, 'stderr'),
    stdoutMatches: (pattern) => matches(() => stdout, pattern, 'stdout'),
  };
}
