import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tokenFor, type Caller } from './api-client';
import { removeBuiltServer, startServerProcess, type ServerProcess } from './server-process';
import { rawTestConfig, secrets, testEnv, type RawConfig } from './test-config';
import { useTestStorage } from './test-storage';

/** Server processes of a test file, killed after each test, with their files in a scratch folder. */
export interface ProcessServers {
  /** The scratch folder; set once the file's tests start. */
  dir(): string;
  /** Writes a configuration file (log level `info`, a short grace period) for `name`'s own folder. */
  configFile(name: string, adjust?: (raw: RawConfig) => void): Promise<string>;
  /** Starts the server with `file` (and `args`, e.g. `serve --role api`); resolves once it listens, with a caller of `acme`. */
  start(file: string, env?: NodeJS.ProcessEnv, args?: string[]): Promise<ServerProcess & { url: string; acme: Caller }>;
  /** Kills `child` after the test, if it still runs. */
  track(child: ServerProcess): void;
}

/** Sets up the hooks of a test file that starts server processes. */
export function processServers(): ProcessServers {
  let dir: string;
  const children: ServerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autofacilitate-process-'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      await child.exited;
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await removeBuiltServer();
  });

  return {
    dir: () => dir,
    configFile: async (name, adjust = () => undefined) => {
      const raw = rawTestConfig(join(dir, name));
      raw.server.logLevel = 'info';
      raw.server.shutdownGraceMs = 200;
      adjust(raw);
      await useTestStorage(raw);
      const file = join(dir, `${name}.yaml`);
      await writeFile(file, stringify(raw));
      return file;
    },
    start: async (file, env = {}, args = []) => {
      const started = await startServerProcess(file, { ...testEnv, ...env }, args);
      children.push(started);
      const acme: Caller = {
        token: await tokenFor(started.url, 'acme-client', secrets.acmeClient),
        apiKey: secrets.acmeKey,
      };
      return { ...started, acme };
    },
    track: (child) => children.push(child),
  };
}
