// The suites that run the real server end to end (Dredd, the SDK's and the CLI's) once more, with
// the server on PostgreSQL: `npm run test:postgres` sets AUTOFACILITATE_TEST_STORAGE=postgres, and
// their jest set-up starts the throwaway cluster each server gets a database of.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const endToEnd = {
  contract: [
    'dredd-server',
    'facade-dredd-server',
    'sdk-server',
    'sdk-admin-server',
    'cli-admin-server',
    'callbacks-sdk',
  ],
  cli: ['credentials', 'waiting'],
};

module.exports = {
  projects: Object.entries(endToEnd).map(([project, suites]) => {
    const files = suites.map((suite) => join(__dirname, 'packages', project, 'test', `${suite}.test.ts`));
    // A suite renamed or removed would otherwise match nothing, silently.
    const missing = files.filter((file) => !existsSync(file));
    if (missing.length > 0) throw new Error(`jest.postgres.cjs names suites that do not exist: ${missing.join(', ')}`);
    return { ...require(`./packages/${project}/jest.config.cjs`), testMatch: files };
  }),
};
