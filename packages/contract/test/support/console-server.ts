import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCallbackSecret } from '@autofacilitate/server';
import { startChild, type Child } from '../../src/child';
import { nodeBinary, workspaceRoot } from '../../src/paths';

/** The built server in a child process, with a fresh data folder, as an operator runs it. */
export interface ConsoleServer {
  url: string;
  clientSecret: string;
  apiKey: string;
  adminKey: string;
  stop(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');

/** Starts `packages/server/dist/main.js` with organisation `acme`: echo, a failing service, an admin key. */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'console-browser-'));
  const [clientSecret, apiKey, adminKey] = [secret(), secret(), secret()];
  const config = {
    server: { host: '127.0.0.1', port: 0, logLevel: 'info', shutdownGraceMs: 0 },
    storage: { sqlite: { file: join(dir, 'store.sqlite') } },
    workers: { pollIntervalMs: 50 },
    // One retry, at once: a callback the receiver refuses fails within the test.
    callbacks: { pollIntervalMs: 50, retrySchedule: ['50ms'], allow: ['127.0.0.1/32'] },
    organisations: {
      acme: {
        clients: { 'console-client': {} },
        apiKeys: { console: {} },
        adminKeys: { ops: {} },
        callbackSecrets: [newCallbackSecret()],
        services: { echo: { kind: 'echo' }, broken: { kind: 'fail', message: 'upstream answered 503' } },
      },
    },
  };
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const child: Child = startChild(nodeBinary, [join(workspaceRoot, 'packages/server/dist/main.js'), '--config', file], {
    AUTOFACILITATE_CLIENT_SECRET_CONSOLE_CLIENT: clientSecret,
    AUTOFACILITATE_API_KEY_ACME_CONSOLE: apiKey,
    AUTOFACILITATE_ADMIN_KEY_ACME_OPS: adminKey,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output());
      if (found) resolve(found[1]!);
    };
    child.process.stdout!.on('data', check);
    child.process.stderr!.on('data', check);
    void child.exited.then(() => reject(new Error(`the server ended:\n${child.output()}`)));
  });
  return {
    url,
    clientSecret,
    apiKey,
    adminKey,
    stop: async () => {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A callback receiver on 127.0.0.1 that answers `status` (500 until fixed) and says when a callback came. */
export interface Receiver {
  url: string;
  status: number;
  /** Resolves once `count` callbacks have come in all. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let count = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Partial<Receiver> = { status: 500 };
  const server: Server = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(receiver.status!).end();
      count += 1;
      for (const waiter of waiters.filter((one) => one.count <= count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/callbacks`,
    received: (wanted: number) =>
      new Promise<void>((resolve) => (count >= wanted ? resolve() : waiters.push({ count: wanted, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as Receiver;
}
