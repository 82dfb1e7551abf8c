// The CLI is tested as users run it: the built binary in a child process.
module.exports = require('../../jest.preset.cjs')(__dirname, {
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
});
