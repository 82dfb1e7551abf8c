import { defineConfig } from 'tsup';

/**
 * How the libraries that run everywhere (client, SDK) are built: ESM and CommonJS, each with its
 * declarations, for ES2022 runtimes (Node ≥ 20, browsers, edge).
 */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // tsup's declaration build still sets `baseUrl`, which TypeScript 6 deprecates.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
