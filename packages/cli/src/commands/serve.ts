import { dirname, join, resolve } from 'node:path';
import type { CommandContext } from '../context';
import { note } from '../output';
import { packageBin } from '../resolve-package';
import { runChild } from '../run-child';

export interface ServeOptions {
  config?: string;
}

const SERVER = '@autofacilitate/server';
const SERVER_VERSION = '0.1.0';

/**
 * `serve`: runs the self-hostable server. With `--config FILE` it serves that configuration;
 * without, the server's demo (127.0.0.1:8080, a demo organisation, printed credentials).
 */
export async function serve(context: CommandContext, options: ServeOptions): Promise<number> {
  const bin = packageBin(SERVER, 'autofacilitate-server', SERVER_VERSION);
  if (options.config !== undefined) {
    return runChild(process.execPath, [bin, 'start', '--config', resolve(options.config)]);
  }
  note(context.output, 'No --config given: starting the demo server.');
  return runChild(process.execPath, [join(dirname(bin), 'demo.js')]);
}
