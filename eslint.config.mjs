import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated code is checked by regenerating it, not by linting it.
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'packages/client/src/generated/**',
      'packages/types/src/generated/**',
      'tools/generator/jar/**',
      'tools/schemathesis/.venv*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: globals.node,
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Dependencies flow spec → types → server: the server speaks the wire, never through a client.
    files: ['packages/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@autofacilitate/client', '@autofacilitate/sdk', '@autofacilitate/cli'].map((name) => ({
            name,
            message: 'The server imports neither the client, the SDK nor the CLI.',
          })),
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
