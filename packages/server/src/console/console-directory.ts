import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The console's built files. The server's build copies them beside the bundle; in the source tree
 * (tests run the sources) they are the console package's own build. Undefined when neither is
 * built: the server then serves no console.
 */
export const consoleDirectory: string | undefined = [
  join(__dirname, 'console'),
  join(__dirname, '..', '..', '..', 'console', 'dist'),
].find((candidate) => existsSync(join(candidate, 'index.html')));
