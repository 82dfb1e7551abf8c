// The CLI as a library, for tools that embed it: `run(argv, io, version)` answers the exit status.
export { run, type Io } from './program';
export { ExitCode, exitCodeHelp } from './exit-codes';
