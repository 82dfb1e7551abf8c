// Contract suites start real Prism, Dredd, Verdaccio and server processes. The timeout is set here,
// per file, because a project's `testTimeout` does not apply when the root jest runs every project.
jest.setTimeout(180_000);
