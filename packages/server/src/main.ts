import { parseArgs } from 'node:util';
import { deliveries, hashSecret, newApiKey, newCallbackSecret, serve, spec, usage } from './commands/server-commands';
import { parseServerRole } from './config/server-role';
import { migrate } from './commands/migrate-command';
import { runDemo } from './demo/run-demo';
import { ConfigError } from './errors/catalogue';

const help = `Usage: autofacilitate-server [command] [--config <file>]

Commands:
  serve [--role <role>]    run the server until SIGTERM or SIGINT (the default; \`start\` is the same);
                           --role api: take API requests, run no triggers or callbacks;
                           --role worker: run triggers and deliver callbacks, answer GET /healthz and
                           GET /metrics only; --role all (the default): both. api and worker need
                           PostgreSQL (storage.postgres.url)
  demo                     run the demo: organisation demo, services echo, sleep and fail, printed
                           credentials; --data-dir <dir> keeps its SQLite file and credentials
                           (default: ./autofacilitate-data), --port <n> (default: 8080)
  hash-secret              read a client secret on standard input and print the hash to configure
  new-api-key              print a fresh API key and the hash to configure
  new-callback-secret      print a fresh whsec_ secret to sign an organisation's callbacks with
  migrate                  bring the store (SQLite, or PostgreSQL with storage.postgres.url) to this
                           server's schema and exit; start does it too
  usage                    print how often each API key called each operation, as JSON
  deliveries <triggerUUID> print the callback deliveries of a trigger and every attempt, as JSON
  spec                     print the OpenAPI document this configuration's server answers to (the
                           spec, with the configured limits in place of its own), as JSON

Options:
  --config <file>  the configuration file (default: $AUTOFACILITATE_CONFIG, else config.yaml)
  --help           show this text
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      help: { type: 'boolean' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      role: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const configFile = values.config ?? process.env.AUTOFACILITATE_CONFIG ?? 'config.yaml';
  const [command = 'serve', ...rest] = positionals;
  if ((values['data-dir'] !== undefined || values.port !== undefined) && command !== 'demo') {
    throw new Error(
      `--data-dir and --port go with demo (a configuration file says where its data goes and its port)\n\n${help}`,
    );
  }
  const serves = command === 'serve' || command === 'start';
  if (values.role !== undefined && !serves) throw new Error(`--role goes with serve\n\n${help}`);
  if (command === 'deliveries') {
    if (rest.length !== 1) throw new Error(`deliveries takes one triggerUUID\n\n${help}`);
    return deliveries(configFile, rest[0]!);
  }
  if (rest.length > 0) throw new Error(`Unexpected arguments: ${rest.join(' ')}\n\n${help}`);
  switch (command) {
    case 'serve':
    case 'start':
      return serve(configFile, parseServerRole(values.role ?? 'all'));
    case 'demo':
      // In the working directory, where the user sees it (never inside node_modules).
      return runDemo({
        dataDir: values['data-dir'] ?? 'autofacilitate-data',
        ...(values.port !== undefined && { port: values.port }),
      });
    case 'hash-secret':
      return hashSecret();
    case 'new-api-key':
      return newApiKey();
    case 'new-callback-secret':
      return newCallbackSecret();
    case 'usage':
      return usage(configFile);
    case 'migrate':
      return migrate(configFile);
    case 'spec':
      return spec(configFile);
    default:
      throw new Error(`Unknown command: ${command}\n\n${help}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `Configuration error: ${error.message}\n`
      : `${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
