import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const packageDir = join(__dirname, '..', '..');
const tsup = join(packageDir, '..', '..', 'node_modules', 'tsup', 'dist', 'cli-default.js');
let built: Promise<string> | undefined;

/**
 * Builds the server once per test file with the package's own tsup configuration (without type
 * declarations), laid out as the published package is (`bin/`, `dist/`, `demo/`), in a scratch folder of
 * the package, so children run what `npm start` runs. Resolves to the `dist` folder.
 */
export function builtServer(): Promise<string> {
  built ??= (async () => {
    const scratch = join(packageDir, 'tmp', `test-package-${process.pid}`);
    const dist = join(scratch, 'dist');
    await promisify(execFile)(process.execPath, [tsup, '--out-dir', dist, '--no-dts', '--no-sourcemap', '--silent'], {
      cwd: packageDir,
    });
    for (const entry of ['bin', 'demo', 'package.json'])
      await cp(join(packageDir, entry), join(scratch, entry), { recursive: true });
    return dist;
  })();
  return built;
}

/** Removes the scratch build. */
export async function removeBuiltServer(): Promise<void> {
  if (built) await rm(join(await built, '..'), { recursive: true, force: true });
  built = undefined;
}

/** A server (or other command) running in a child process. */
export interface ServerProcess {
  child: ChildProcess;
  /** Everything written so far to standard output and standard error. */
  output(): string;
  /** Resolves when a line matching `pattern` has been written; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <built>/<entry> ...args`. */
export async function startProcess(
  entry: 'main.js' | 'demo.js',
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<ServerProcess> {
  const dir = await builtServer();
  const child = spawn(process.execPath, [join(dir, entry), ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.stdin!.end(input);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (ended || child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`the process ended before writing ${pattern}:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Starts the server with a configuration file (and `args`, e.g. `serve --role worker`); resolves once it listens, with its URL. */
export async function startServerProcess(
  configFile: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<ServerProcess & { url: string }> {
  const started = await startProcess('main.js', [...args, '--config', configFile], env);
  const [, url] = await started.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  return { ...started, url: url! };
}
