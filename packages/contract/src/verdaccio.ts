import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from './child';
import { freePort } from './free-port';
import { nodeBinary, workspaceRoot } from './paths';

const verdaccioBin = join(workspaceRoot, 'node_modules/verdaccio/bin/verdaccio');
const START_TIMEOUT_MS = 60_000;

/** A Verdaccio registry on a free 127.0.0.1 port, with storage that lives as long as it does. */
export interface RunningVerdaccio {
  /** The registry URL, with the trailing slash npm configuration expects. */
  url: string;
  /** Stops the registry and deletes its storage. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway Verdaccio that serves only what is published to it: anyone may publish
 * `@autofacilitate/*`, and with no uplinks it never fetches from another registry.
 */
export async function startVerdaccio(): Promise<RunningVerdaccio> {
  const home = mkdtempSync(join(tmpdir(), 'verdaccio-'));
  const config = join(home, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(home, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(home, 'htpasswd'))}`,
      '    max_users: -1',
      'packages:',
      "  '@autofacilitate/*':",
      '    access: $all',
      '    publish: $all',
      "  '**':",
      '    access: $all',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );

  const port = await freePort();
  const child = startChild(nodeBinary, [verdaccioBin, '--config', config, '--listen', `127.0.0.1:${port}`]);
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    await child.stop();
    rmSync(home, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(`${url}-/ping`))) {
    if (child.process.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Verdaccio did not answer on ${url}:\n${child.output()}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return { url, stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}
