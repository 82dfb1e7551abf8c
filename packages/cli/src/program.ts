import { Command, CommanderError, Option } from 'commander';
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

const collect = (value: string, previous: string[]) => [...previous, value];

/** Where the CLI reads and writes; the real process in `cli.ts`, captured streams in tests. */
export interface Io extends Pick<Output, 'stdout' | 'stderr'> {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** Runs the command line and answers the exit status. Never throws, never calls process.exit. */
export async function run(argv: readonly string[], io: Io, version: string): Promise<number> {
  let status: number = ExitCode.ok;
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
    .option('--profile-file <path>', `profile file (env: AUTOFACILITATE_PROFILE_FILE; default: ${defaultProfilePath(io.env)})`)
    .option('--json', 'print nothing but JSON on stdout')
    .option('--debug', 'print stacks and causes with errors')
    .addHelpText(
      'after',
      `
Settings come from flags, then AUTOFACILITATE_* environment variables, then the profile file
(JSON: {"default": {"orgId": "acme", "baseUrl": "http://127.0.0.1:8080", "clientId": "…",
"clientSecret": "…", "apiKey": "…"}}), in that order.

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
    .option('--xml', 'send the body as XML (the seed\'s <root> form)')
    .option('--idempotency-key <key>', 'makes retries safe: the server starts the service once per key')
    .option('--wait', 'wait for the trigger to finish and print its outcome')
    .option('--timeout <seconds>', 'with --wait: give up after this long')
    .action(action((context, vsn: string, options) => execute(context, vsn, options)));

  program
    .command('result')
    .description("print a trigger's status, or its outcome once finished")
    .argument('<vsn>', 'the service the trigger was started on')
    .argument('<triggerUUID>', 'the trigger')
    .action(action((context, vsn: string, triggerUUID: string) => result(context, vsn, triggerUUID)));

  program
    .command('serve')
    .description('run the self-hostable server (needs @autofacilitate/server)')
    .option('--config <file>', 'server configuration (default: the demo configuration)')
    .action(action((context, options) => serve(context, options)));

  program
    .command('mock')
    .description("serve the API's mock with Prism (needs @stoplight/prism-cli)")
    .option('--port <port>', 'port to listen on', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(action((context, options) => mock(context, options)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help); `--help` and `--version` end with code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(context?.output ?? { json: false, debug: false, ...io }, error);
  }
}
