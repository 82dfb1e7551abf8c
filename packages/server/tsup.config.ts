import { copyFile, cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The server is built as ESM for Node 22 and later: the library (`index`), the `autofacilitate-server`
 * command (`main`), the demo behind `npm start` (`demo`) and the SQLite checkpointer's thread
 * (`checkpoint-worker`, started from beside them). The spec the routes are bound to is copied
 * beside them, so the package carries its own contract, and so is the operators' console's build.
 */
export default defineConfig((overrides: Options) => {
  const outDir = overrides.outDir ?? 'dist';
  return {
    entry: {
      index: 'src/index.ts',
      main: 'src/main.ts',
      demo: 'src/demo/main.ts',
      'checkpoint-worker': 'src/storage/sqlite/checkpoint-worker.ts',
    },
    format: ['esm'],
    outDir,
    // tsup's declaration build still sets `baseUrl`, which TypeScript 6 deprecates.
    dts: { entry: 'src/index.ts', compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    // `__dirname` finds the spec and the demo configuration beside the bundle.
    shims: true,
    onSuccess: async () => {
      await copyFile(join(__dirname, '../../spec/autofacilitate.yaml'), join(outDir, 'autofacilitate.yaml'));
      // The console's build (nx builds it first) is served from beside the bundle.
      const consoleBuild = join(__dirname, '../console/dist');
      if (existsSync(consoleBuild)) await cp(consoleBuild, join(outDir, 'console'), { recursive: true });
    },
  };
});
