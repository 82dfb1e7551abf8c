import { join } from 'node:path';
import { startChild } from './child';
import { freePort } from './free-port';
import { nodeBinary, specPath, workspaceRoot } from './paths';

const prismBin = join(workspaceRoot, 'node_modules/@stoplight/prism-cli/dist/index.js');
const START_TIMEOUT_MS = 60_000;

export interface PrismOptions {
  /** `mock` answers from the spec's examples; `proxy` forwards to `upstream` and validates both ways. */
  mode?: 'mock' | 'proxy';
  /** The server a proxy forwards to. */
  upstream?: string;
  /** Turn request and response violations into error responses (proxy). */
  errors?: boolean;
}

/** A Prism process serving the spec on a free 127.0.0.1 port. */
export interface RunningPrism {
  url: string;
  stop(): Promise<void>;
}

/** Starts Prism on the spec and resolves once it answers requests. */
export async function startPrism(options: PrismOptions = {}): Promise<RunningPrism> {
  const mode = options.mode ?? 'mock';
  if (mode === 'proxy' && !options.upstream) throw new Error('startPrism: a proxy needs an upstream URL');
  const port = await freePort();
  const args = [prismBin, mode, specPath, ...(mode === 'proxy' ? [options.upstream as string] : [])];
  args.push('--host', '127.0.0.1', '--port', String(port));
  if (options.errors) args.push('--errors');

  const child = startChild(nodeBinary, args);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!/Prism is listening/.test(child.output())) {
    if (child.process.exitCode !== null) {
      throw new Error(`Prism exited before listening:\n${child.output()}`);
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`Prism did not listen within ${START_TIMEOUT_MS} ms:\n${child.output()}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return { url, stop: () => child.stop() };
}

/**
 * Prism validating both ways: a proxy with `--errors` in front of the mock, so every request a
 * client sends and every response it reads is checked against the spec. `url` is the proxy's.
 */
export async function startValidatingPrism(): Promise<RunningPrism> {
  const mock = await startPrism();
  try {
    const proxy = await startPrism({ mode: 'proxy', upstream: mock.url, errors: true });
    return {
      url: proxy.url,
      async stop() {
        await proxy.stop();
        await mock.stop();
      },
    };
  } catch (error) {
    await mock.stop();
    throw error;
  }
}
