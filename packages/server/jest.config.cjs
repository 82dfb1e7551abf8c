module.exports = require('../../jest.preset.cjs')(__dirname, {
  globalSetup: '<rootDir>/test/support/compile-cache.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
});
