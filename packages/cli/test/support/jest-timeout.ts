// Each test runs the built CLI in a child process. Set per file: a project's `testTimeout` does not
// apply when the root jest runs every project at once.
jest.setTimeout(60_000);
