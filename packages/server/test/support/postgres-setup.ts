import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { testClusterVariable, testsOnPostgres } from './test-storage';

// What the teardown stops: jest's global set-up and teardown share this process's globals.
const key = Symbol.for('autofacilitate.testPostgresCluster');
type WithCluster = typeof globalThis & { [key]?: PostgresCluster };

/**
 * Jest's global set-up of a run on PostgreSQL: starts the cluster of the run, unless a developer
 * named one (or another project of the same run started it), and hands its URL to the tests
 * through the environment.
 */
export async function startTestCluster(): Promise<void> {
  if (!testsOnPostgres() || process.env[testClusterVariable]) return;
  const cluster = await startPostgresCluster();
  (globalThis as WithCluster)[key] = cluster;
  process.env[testClusterVariable] = `postgres://postgres@127.0.0.1:${cluster.port}`;
}

export default startTestCluster;

/** Jest's global teardown: stops the cluster the set-up started. */
export async function stopTestCluster(): Promise<void> {
  const cluster = (globalThis as WithCluster)[key];
  if (!cluster) return;
  delete (globalThis as WithCluster)[key];
  delete process.env[testClusterVariable];
  await cluster.stop();
}
