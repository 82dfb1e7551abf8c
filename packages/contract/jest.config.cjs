// Contract suites start real Prism and Dredd processes: give them time, and run them one at a time.
module.exports = require('../../jest.preset.cjs')(__dirname, { testTimeout: 180_000 });
