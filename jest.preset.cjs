// Shared jest settings. Tests run the TypeScript sources directly (ts-jest, CommonJS output) and
// resolve workspace packages to their sources, so `npm test` needs no build first.
const { join } = require('node:path');

/** @param {string} packageDir @param {object} [overrides] */
module.exports = function preset(packageDir, overrides = {}) {
  return {
    displayName: require(join(packageDir, 'package.json')).name.replace('@autofacilitate/', ''),
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: join(__dirname, 'tsconfig.spec.json') }],
    },
    moduleNameMapper: {
      '^@autofacilitate/(client|sdk|server|types)$': join(__dirname, 'packages/$1/src/index.ts'),
    },
    ...overrides,
  };
};
