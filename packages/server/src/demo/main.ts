import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './run-demo';
import { ConfigError } from '../errors/catalogue';

/**
 * The demo behind `npm start` in this repository: its data in `packages/server/data` (git-ignored)
 * unless `--data` names another folder. Installed, the server runs it as `autofacilitate-server demo`.
 */
async function demo(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, data: { type: 'string' } } });
  await runDemo({
    dataDir: values.data ?? join(__dirname, '..', 'data'),
    ...(values.port !== undefined && { port: values.port }),
  });
}

demo(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? 'Configuration error: ' : ''}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
