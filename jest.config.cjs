// `npm test` ends with one jest run over every package, so its summary covers the whole repo.
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs'],
};
