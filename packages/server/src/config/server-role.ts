import type { ServerConfig } from './server-config';

/** What a server process does: `api` takes requests, `worker` runs triggers and delivers callbacks, `all` both. */
export type ServerRole = 'api' | 'worker' | 'all';

export const serverRoles: readonly ServerRole[] = ['api', 'worker', 'all'];

/** The operations a worker process answers, so that probes and scrapes reach it like any other. */
export const probeOperations: ReadonlySet<string> = new Set(['getHealth', 'getMetrics']);

/** Reads `--role`; an unknown one is an error naming the roles there are. */
export function parseServerRole(text: string): ServerRole {
  if ((serverRoles as readonly string[]).includes(text)) return text as ServerRole;
  throw new Error(`Unknown role: ${text} (--role takes ${serverRoles.join(', ')})`);
}

/** Whether a process of `role` takes API requests. */
export function takesRequests(role: ServerRole): boolean {
  return role !== 'worker';
}

/** Whether a process of `role` runs triggers, delivers callbacks and sweeps old results. */
export function runsWork(role: ServerRole): boolean {
  return role !== 'api';
}

/**
 * Why a process of `role` cannot run on the configuration's store, if it cannot. Roles are split
 * to run API and worker processes on machines of their own; a SQLite file serves one machine only
 * (its write-ahead log lives in memory the processes share, which a network file system does not
 * give, and is corrupted there), and on one machine `all` processes already share the file.
 */
export function roleRefusal(role: ServerRole, config: ServerConfig): string | undefined {
  if (role === 'all' || config.storage.postgres.url) return undefined;
  return (
    `The ${role} role needs PostgreSQL (storage.postgres.url or AUTOFACILITATE_POSTGRES_URL). ` +
    'The SQLite store is one file on one machine: processes on other machines cannot share it safely ' +
    '(its write-ahead log needs memory shared on one machine; over a network file system the file is ' +
    'corrupted), so API and worker processes cannot be scaled apart on it. Run --role all (the default); ' +
    'processes on the same machine may share the file.'
  );
}
