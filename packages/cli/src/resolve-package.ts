import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The CLI's own package.json, read once: its version and the versions of its optional peers. */
function cliManifest(): { peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
}

/**
 * The path of an installed package's binary. The mock and the server are optional peers of the CLI:
 * a missing one is reported with the command that installs the version the CLI's package.json asks for.
 */
export function packageBin(packageName: string, bin: string): string {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${packageName}/package.json`);
  } catch {
    const version = cliManifest().peerDependencies?.[packageName];
    throw new MissingPackageError(
      `${packageName} is not installed; install it with: npm install ${packageName}${version ? `@${version}` : ''}`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!relative) throw new MissingPackageError(`${packageName} has no "${bin}" binary`);
  return join(dirname(manifestPath), relative);
}

/** An optional peer the command needs is not installed. */
export class MissingPackageError extends Error {
  override readonly name = 'MissingPackageError';
}
