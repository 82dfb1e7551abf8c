import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, resolveConfig, type ServerConfig } from '@autofacilitate/server';
import { useTestStorage } from '../../server/test/support/test-storage';

/** Credentials made fresh for one run, handed to the server and to whoever calls it. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  apiKey: string;
}

/** A real server in a data directory of its own. */
export interface ScratchServer {
  url: string;
  /** Its data directory: relative paths of the settings are under it. */
  dir: string;
  /**
   * What another process needs to open its store as the server does: the SQLite file, or the
   * PostgreSQL database of a run on PostgreSQL with the leases its jobs are set up with.
   */
  store: Pick<ServerConfig, 'storage' | 'workers' | 'callbacks'>;
  stop(): Promise<void>;
}

const secret = () => randomBytes(16).toString('base64url');

/** A client id with a secret and an API key no other run shares. */
export const freshCredentials = (clientId: string): ClientCredentials => ({
  clientId,
  clientSecret: secret(),
  apiKey: secret(),
});

/**
 * Starts the server from `settings` on a fresh data directory, which goes with it on `stop` (or at
 * once, when it fails to start), so no run sees another's triggers; on a fresh PostgreSQL database
 * in a run on PostgreSQL (AUTOFACILITATE_TEST_STORAGE=postgres).
 */
export async function startScratchServer(
  name: string,
  settings: Record<string, unknown>,
  source: { origin: string; env: NodeJS.ProcessEnv },
): Promise<ScratchServer> {
  const dir = await mkdtemp(join(tmpdir(), `autofacilitate-${name}-`));
  try {
    const raw = structuredClone(settings);
    await useTestStorage(raw, dir);
    const config = await resolveConfig(raw, { ...source, baseDir: dir });
    const server = await createServer(config);
    const url = await server.listen();
    return {
      url,
      dir,
      store: { storage: config.storage, workers: config.workers, callbacks: config.callbacks },
      async stop() {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
