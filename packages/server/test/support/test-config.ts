import type { ServerConfig } from '../../src';
import { resolveConfig } from '../../src';
import { useTestStorage } from './test-storage';

/** The plain secrets of the test organisations, handed to the server through the environment. */
export const secrets = {
  acmeClient: 'acme-client-secret',
  acmeKey: 'acme-api-key-0123456789',
  globexClient: 'globex-client-secret',
  globexKey: 'globex-api-key-0123456789',
  /** acme's callback secret, and the one it rotates to. */
  acmeCallback: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwdXBGaGV5UgA=',
  acmeNextCallback: 'whsec_5T7b5Dd8G2uFhkz3NmRbVd8sG1kQp0ZyXcW4aE6tLiM=',
  /** The admin keys of acme and globex, and an operator's, who sees both. */
  acmeAdmin: 'acme-admin-key-0123456789',
  globexAdmin: 'globex-admin-key-0123456789',
  operator: 'operator-key-0123456789',
} as const;

export const testEnv: NodeJS.ProcessEnv = {
  AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT: secrets.acmeClient,
  AUTOFACILITATE_API_KEY_ACME_MAIN: secrets.acmeKey,
  AUTOFACILITATE_CLIENT_SECRET_GLOBEX_CLIENT: secrets.globexClient,
  AUTOFACILITATE_API_KEY_GLOBEX_MAIN: secrets.globexKey,
  AUTOFACILITATE_ADMIN_KEY_ACME_OPS: secrets.acmeAdmin,
  AUTOFACILITATE_ADMIN_KEY_GLOBEX_OPS: secrets.globexAdmin,
  AUTOFACILITATE_OPERATOR_KEY_ROOT: secrets.operator,
};

/**
 * A configuration as a file holds it, before it is checked. Tests reach into it freely, so it is
 * loosely typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawConfig = Record<string, any>;

/**
 * Two organisations: `acme`, with a service of each built-in kind, and `globex`, to check that
 * one organisation never sees the other's.
 */
export function rawTestConfig(dir: string): RawConfig {
  return {
    server: { host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownGraceMs: 500 },
    storage: { sqlite: { file: `${dir}/autofacilitate.sqlite` } },
    workers: { leaseMs: 1000, pollIntervalMs: 50 },
    // Retries in milliseconds, so that a whole schedule runs within a test.
    callbacks: { pollIntervalMs: 50, timeoutMs: 2000, retrySchedule: ['10ms', '20ms', '40ms'] },
    organisations: {
      acme: {
        clients: { 'acme-client': {} },
        apiKeys: { main: {} },
        adminKeys: { ops: {} },
        callbackSecrets: [secrets.acmeCallback],
        services: {
          echo: { kind: 'echo' },
          nap: { kind: 'sleep', ms: 60000, timeoutMs: 120000 },
          lonely: { kind: 'sleep', ms: 60000, timeoutMs: 120000, concurrency: 1 },
          quick: { kind: 'sleep', ms: 0 },
          broken: { kind: 'fail', message: 'upstream answered 503' },
          slowpoke: { kind: 'sleep', ms: 60000, timeoutMs: 50 },
          'needs-customer': { kind: 'echo', requiredParameters: ['customerId', 'channel'] },
        },
      },
      globex: {
        clients: { 'globex-client': {} },
        apiKeys: { main: {} },
        adminKeys: { ops: {} },
        services: { echo: { kind: 'echo' } },
      },
    },
    operators: { root: {} },
  };
}

/**
 * The test configuration, resolved, after `adjust` has changed what a test needs; on a fresh
 * PostgreSQL database in a run on PostgreSQL.
 */
export async function testConfig(
  dir: string,
  adjust: (raw: RawConfig) => void = () => undefined,
): Promise<ServerConfig> {
  const raw = rawTestConfig(dir);
  adjust(raw);
  await useTestStorage(raw);
  return resolveConfig(raw, { origin: 'test configuration', baseDir: dir, env: testEnv });
}
