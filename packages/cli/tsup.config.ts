import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/index.ts'],
  format: ['esm'],
  // tsup's declaration build still sets `baseUrl`, which TypeScript 6 deprecates.
  dts: { entry: 'src/index.ts', compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // `mock` serves the spec the CLI was built with.
  onSuccess: async () => copyFileSync('../../spec/autofacilitate.yaml', 'dist/autofacilitate.yaml'),
});
