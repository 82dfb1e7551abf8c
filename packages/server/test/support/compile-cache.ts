import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Jest's global set-up. Under jest the checkpointer's thread runs from its TypeScript source, and
 * every thread would strip its types anew (a third of a second each); Node's compile cache keeps
 * the result for the threads to come.
 */
export default function enableCompileCache(): void {
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'node-compile-cache');
}
