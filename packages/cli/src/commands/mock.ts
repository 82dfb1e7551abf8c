import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../context';
import { note } from '../output';
import { parsePort } from '../parse-number';
import { packageBin } from '../resolve-package';
import { runChild } from '../run-child';

export interface MockOptions {
  port: string;
  host: string;
}

/** The spec the CLI was built with, shipped beside it. */
const specPath = fileURLToPath(new URL('./autofacilitate.yaml', import.meta.url));

/** `mock`: serves the API's spec with Prism, which answers from the spec's examples. */
export async function mock(context: CommandContext, options: MockOptions): Promise<number> {
  const port = parsePort('--port', options.port);
  const prism = packageBin('@stoplight/prism-cli', 'prism');
  note(context.output, `Serving the AutoFacilitate API mock on http://${options.host}:${port} (Ctrl-C stops it)`);
  return runChild(process.execPath, [prism, 'mock', specPath, '--host', options.host, '--port', String(port)]);
}
