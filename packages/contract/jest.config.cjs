module.exports = require('../../jest.preset.cjs')(__dirname, {
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
});
