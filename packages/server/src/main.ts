#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { hashSecret, newApiKey, start, usage } from './cli/commands';
import { ConfigError } from './config/config-error';

const help = `Usage: autofacilitate-server [command] [--config <file>]

Commands:
  start        run the server (the default)
  hash-secret  read a client secret on standard input and print the hash to configure
  new-api-key  print a fresh API key and the hash to configure
  usage        print how often each API key called each operation, as JSON

Options:
  --config <file>  the configuration file (default: $AUTOFACILITATE_CONFIG, else config.yaml)
  --help           show this text
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const configFile = values.config ?? process.env.AUTOFACILITATE_CONFIG ?? 'config.yaml';
  const [command = 'start', ...rest] = positionals;
  if (rest.length > 0) throw new Error(`Unexpected arguments: ${rest.join(' ')}\n\n${help}`);
  switch (command) {
    case 'start':
      return start(configFile);
    case 'hash-secret':
      return hashSecret();
    case 'new-api-key':
      return newApiKey();
    case 'usage':
      return usage(configFile);
    default:
      throw new Error(`Unknown command: ${command}\n\n${help}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError ? `Configuration error: ${error.message}\n` : `${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
