const preset = require('../../jest.preset.cjs');

// pg-boss and two of its dependencies are ES modules only, and the tests run as CommonJS: babel
// turns their imports into requires.
const esmOnly = ['pg-boss', 'serialize-error', 'non-error'];
const base = preset(__dirname);

module.exports = preset(__dirname, {
  globalSetup: '<rootDir>/test/support/compile-cache.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
  transform: {
    ...base.transform,
    [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
      'babel-jest',
      { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
});
