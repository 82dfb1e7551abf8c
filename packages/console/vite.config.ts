import { defineConfig } from 'vite';

// The console is served by the server at /console/, as static files: one HTML page, hashed
// scripts and styles, nothing inline (the server's Content-Security-Policy allows none).
export default defineConfig({
  base: '/console/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
});
