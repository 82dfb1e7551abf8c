import enableCompileCache from './compile-cache';
import { startTestCluster } from './postgres-setup';

/** Jest's global set-up of the server's tests: the compile cache, and the cluster of a run on PostgreSQL. */
export default async function globalSetup(): Promise<void> {
  enableCompileCache();
  await startTestCluster();
}
