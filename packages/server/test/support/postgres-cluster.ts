import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';

/** A throwaway PostgreSQL cluster on 127.0.0.1, its files in a temporary folder. */
export interface PostgresCluster {
  readonly port: number;
  /** The folder of its data and socket, removed by `stop`. */
  readonly folder: string;
  /** Creates an empty database; resolves to its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

const notInstalled =
  'PostgreSQL is not installed: these tests start a cluster of their own with initdb and postgres ' +
  '(Debian: apt-get install postgresql; .ci/run installs it when missing)';

/** The folder of `initdb` and `postgres`: Debian's newest `/usr/lib/postgresql/<n>/bin`, else the PATH. */
export function findPostgresBin(debianRoot = '/usr/lib/postgresql', path: string = process.env.PATH ?? ''): string {
  const versions = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = [...versions.map((version) => join(debianRoot, version, 'bin')), ...path.split(delimiter)];
  const found = candidates.find(
    (dir) => dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
  );
  if (!found) throw new Error(notInstalled);
  return found;
}

// initdb and postgres refuse to run as root: as root (CI is), they run as Debian's `postgres` user.
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error(`${notInstalled}; running as root, they also need its "postgres" user`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

// Resolves once the server says it accepts connections; rejects with its log if it exits first.
function ready(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk;
      if (log.includes('database system is ready to accept connections')) {
        server.stderr!.off('data', onData);
        server.stderr!.resume();
        server.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`postgres exited with ${code} before it was ready:\n${log}`));
    server.stderr!.on('data', onData);
    server.once('exit', onExit);
  });
}

const initdbOptions = ['--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];

// The tests' files are thrown away: nothing is synced to the disk.
const unsynced = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/** How a cluster keeps what it commits. */
export interface PostgresClusterOptions {
  /**
   * Whether each commit reaches the disk before it is acknowledged (PostgreSQL's defaults), as
   * in production: the bench measures that. Tests do without (their files are thrown away).
   */
  durable?: boolean;
}

/**
 * Starts a cluster of its own: initdb as the `postgres` user when run as root, data and socket
 * folders that user owns, listening on 127.0.0.1 alone on a free port, without fsync unless
 * `durable`. Ready when the server says so, about 2 s from initdb.
 */
export async function startPostgresCluster({ durable = false }: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const settings = [...(durable ? [] : unsynced), 'max_connections=200'].flatMap((setting) => ['-c', setting]);
  const bin = findPostgresBin();
  const user = serverUser();
  const root = await mkdtemp(join(tmpdir(), 'autofacilitate-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sockets');
  await mkdir(sockets);
  if (user) for (const dir of [root, sockets]) await chown(dir, user.uid, user.gid);
  const as: SpawnOptions = { cwd: root, ...user };
  try {
    await run(join(bin, 'initdb'), ['-D', data, ...initdbOptions, ...(durable ? [] : ['--no-sync'])], as);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  let server: ChildProcess | undefined;
  let port = 0;
  // A free port may be taken between the probe and the bind: then a new one.
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    const candidate = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', sockets, ...settings],
      { ...as, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      await ready(candidate);
      server = candidate;
    } catch (error) {
      if (attempt === 3) {
        await rm(root, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const running = server;
  const killOnExit = () => running.kill('SIGKILL');
  process.once('exit', killOnExit);
  const admin = `postgres://postgres@127.0.0.1:${port}`;
  let databases = 0;
  return {
    port,
    folder: root,
    async createDatabase() {
      const name = `suite_${++databases}`;
      const client = new Client({ connectionString: `${admin}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${admin}/${name}`;
    },
    async stop() {
      process.off('exit', killOnExit);
      if (running.exitCode === null && running.signalCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        // SIGINT: PostgreSQL's fast shutdown, which ends the open connections.
        running.kill('SIGINT');
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** One cluster for the test file, started before its tests and removed after them. */
export function usePostgresCluster(): { createDatabase(): Promise<string> } {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());
  return {
    createDatabase: () => {
      if (!cluster) throw new Error('The PostgreSQL cluster did not start');
      return cluster.createDatabase();
    },
  };
}
