// The CLI is tested as users run it: the built binary in a child process.
const preset = require('../../jest.preset.cjs');

module.exports = preset(__dirname, {
  ...preset.postgresSetup,
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
});
