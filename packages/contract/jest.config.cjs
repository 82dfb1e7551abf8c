const preset = require('../../jest.preset.cjs');

module.exports = preset(__dirname, {
  ...preset.postgresSetup,
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
});
