import { Command, CommanderError, Option } from 'commander';
import { addAdminCommands } from './admin-program';
import { configure } from './commands/configure';
import { execute } from './commands/execute';
import { mock } from './commands/mock';
import { result } from './commands/result';
import { serve } from './commands/serve';
import { token } from './commands/token';
import { createContext, type CommandContext, type GlobalOptions } from './context';
import { reportError } from './errors';
import { exitCodeHelp, ExitCode } from './exit-codes';
import type { Output } from './output';
import { defaultProfilePath } from './profile-file';
import { SETTINGS } from './settings';
import { DEFAULT_WAIT_SECONDS } from './wait-for-outcome';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Where the CLI reads and writes; the real process in `cli.ts`, captured streams in tests. */
export interface Io extends Pick<Output, 'stdout' | 'stderr'> {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Where `configure` reads answers from, when it is a terminal. */
  stdin?: NodeJS.ReadStream;
}

const waitTimeout = `with --wait: stop waiting after this many seconds (default: ${DEFAULT_WAIT_SECONDS}); the trigger goes on`;

/** Runs the command line and answers the exit status. Never throws, never calls process.exit. */
export async function run(argv: readonly string[], io: Io, version: string): Promise<number> {
  let status: number = ExitCode.ok;
  // Known before commander parses, so that even a usage error is JSON with --json.
  const json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json');
  let context: CommandContext | undefined;
  const program = new Command('autofacilitate');
  const action =
    <A extends unknown[]>(command: (context: CommandContext, ...args: A) => Promise<number>) =>
    async (...args: A) => {
      context = createContext(program.opts<GlobalOptions>(), io, io.env, io.signal);
      status = await command(context, ...args);
    };

  program
    .description('Call the AutoFacilitate API from the command line, or serve it locally.')
    .version(version, '-V, --version')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError('(run autofacilitate --help for usage)');
  for (const setting of SETTINGS) {
    program.addOption(new Option(`${setting.flag} <value>`, `${setting.description} (env: ${setting.env})`));
  }
  program
    .option('--profile <name>', 'profile to read from the profile file (env: AUTOFACILITATE_PROFILE)', undefined)
    .option(
      '--profile-file <path>',
      `profile file (env: AUTOFACILITATE_PROFILE_FILE; default: ${defaultProfilePath(io.env)})`,
    )
    .option('--json', 'print nothing but JSON on stdout')
    .option('--debug', 'print stacks and causes with errors')
    .addHelpText(
      'after',
      `
Settings come from flags, then AUTOFACILITATE_* environment variables, then the profile file
(JSON: {"default": {"orgId": "acme", "baseUrl": "http://127.0.0.1:8080", "clientId": "…",
"clientSecret": "…", "apiKey": "…"}}), in that order. autofacilitate configure writes a profile.

${exitCodeHelp}`,
    );

  program
    .command('token')
    .description('print an access token (alone on stdout)')
    .option('--timeout <seconds>', 'give up after this long')
    .action(action((context, options) => token(context, options)));

  program
    .command('execute')
    .description('start a service; prints the triggerUUID, or with --wait the outcome')
    .argument('<vsn>', 'the service to start')
    .option('-p, --param <key=value>', 'a trigger parameter (repeatable)', collect, [])
    .option('--callback <url>', 'a callback URL (repeatable)', collect, [])
    .option('--xml', "send the body as XML (the <root> form of Alvaria's API reference)")
    .option(
      '--idempotency-key <key>',
      'makes retries safe: the server starts the service once per key, and says when an answer is a replay',
    )
    .option('--wait', 'wait for the trigger to finish and print its outcome')
    .option('--timeout <seconds>', waitTimeout)
    .action(action((context, vsn: string, options) => execute(context, vsn, options)));

  program
    .command('result')
    .description("print a trigger's status, or its outcome once finished; with --wait, wait for it")
    .argument('<vsn>', 'the service the trigger was started on')
    .argument('<triggerUUID>', 'the trigger')
    .option('--wait', 'wait for the trigger to finish and print its outcome')
    .option('--timeout <seconds>', waitTimeout)
    .action(action((context, vsn: string, triggerUUID: string, options) => result(context, vsn, triggerUUID, options)));

  program
    .command('configure')
    .description('write a profile (asks in a terminal, else takes the settings flags) and check it against the server')
    .option('--no-check', 'write the profile without asking the server')
    .action(action((context, options) => configure(context, options)));

  program
    .command('serve')
    .description('run the self-hostable server (needs @autofacilitate/server)')
    .option('--config <file>', 'server configuration (default: the demo configuration)')
    .option('--data-dir <dir>', "the demo's SQLite file and credentials (default: ./autofacilitate-data)")
    .option('--port <port>', "the demo's port (default: 8080)")
    .action(action((context, options) => serve(context, options)));

  program
    .command('mock')
    .description("serve the API's mock with Prism (needs @stoplight/prism-cli)")
    .option('--port <port>', 'port to listen on', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(action((context, options) => mock(context, options)));

  addAdminCommands(program, action);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help); `--help` and `--version` end with code 0.
      if (error.exitCode === 0) return ExitCode.ok;
      if (json)
        io.stdout.write(
          `${JSON.stringify({ error: { name: 'UsageError', message: error.message.replace(/^error: /, ''), exitCode: ExitCode.usage } }, null, 2)}\n`,
        );
      return ExitCode.usage;
    }
    return reportError(context?.output ?? { json, debug: false, stdout: io.stdout, stderr: io.stderr }, error);
  }
}
