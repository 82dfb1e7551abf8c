const preset = require('../../jest.preset.cjs');

module.exports = preset(__dirname, {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/postgres-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
});
