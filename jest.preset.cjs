// Shared jest settings. Tests run the TypeScript sources directly (ts-jest, CommonJS output) and
// resolve workspace packages to their sources, so `npm test` needs no build first.
const { join } = require('node:path');

// pg-boss (the server's job engine on PostgreSQL) and two of its dependencies are ES modules only,
// and the tests run as CommonJS: babel turns their imports into requires.
const esmOnly = ['pg-boss', 'serialize-error', 'non-error'];

/** @param {string} packageDir @param {object} [overrides] */
module.exports = function preset(packageDir, overrides = {}) {
  return {
    displayName: require(join(packageDir, 'package.json')).name.replace('@autofacilitate/', ''),
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: join(__dirname, 'tsconfig.spec.json') }],
      [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
        'babel-jest',
        { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleNameMapper: {
      '^@autofacilitate/(client|sdk|server|types)$': join(__dirname, 'packages/$1/src/index.ts'),
    },
    ...overrides,
  };
};

/**
 * Jest's global set-up and teardown of the suites that start the real server: with
 * AUTOFACILITATE_TEST_STORAGE=postgres they start (and stop) the PostgreSQL cluster its databases are on.
 */
module.exports.postgresSetup = {
  globalSetup: join(__dirname, 'packages/server/test/support/postgres-setup.ts'),
  globalTeardown: join(__dirname, 'packages/server/test/support/postgres-teardown.ts'),
};
