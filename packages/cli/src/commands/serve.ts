import { resolve } from 'node:path';
import type { CommandContext } from '../context';
import { note } from '../output';
import { parsePort } from '../parse-number';
import { packageBin } from '../resolve-package';
import { runChild } from '../run-child';
import { UsageError } from '../usage-error';

export interface ServeOptions {
  config?: string;
  dataDir?: string;
  port?: string;
}

/**
 * `serve`: runs the self-hostable server through its own command, `autofacilitate-server`. With
 * `--config FILE` it serves that configuration; without, the server's demo (a demo organisation,
 * printed credentials), whose data goes in the working directory's `autofacilitate-data` unless
 * `--data-dir` says otherwise: where the user sees it, and deletes it with the project, rather
 * than in a hidden platform folder shared by every project.
 */
export async function serve(context: CommandContext, options: ServeOptions): Promise<number> {
  if (options.config !== undefined && (options.dataDir !== undefined || options.port !== undefined)) {
    throw new UsageError(
      '--data-dir and --port go with the demo: a --config file names its own storage.sqlite.file and server.port',
    );
  }
  // 0 lets the system pick a free port; the banner says which.
  const port =
    options.port === undefined || options.port === '0' ? options.port : String(parsePort('--port', options.port));
  const bin = packageBin('@autofacilitate/server', 'autofacilitate-server');
  if (options.config !== undefined) {
    return runChild(process.execPath, [bin, 'start', '--config', resolve(options.config)]);
  }
  const dataDir = resolve(options.dataDir ?? 'autofacilitate-data');
  note(
    context.output,
    `No --config given: starting the demo server, its data (SQLite file and credentials) in ${dataDir}`,
  );
  return runChild(process.execPath, [
    bin,
    'demo',
    '--data-dir',
    dataDir,
    ...(port === undefined ? [] : ['--port', port]),
  ]);
}
