// Suites here start servers, some in child processes, and run beside the rest of the repository's
// suites. The timeout is set here, per file, because a project's `testTimeout` does not apply when
// the root jest runs every project at once.
jest.setTimeout(30_000);
