import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A callback as the receiver got it. */
export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a callback: a status and headers, or `hang` (never answer). */
export type ReceiverAnswer = { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP server on 127.0.0.1 that records every callback and answers as the test says. */
export interface CallbackReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  received: ReceivedCallback[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** How to answer; by default 204. `index` counts the callbacks received at this path, from 0. */
  answer: (callback: ReceivedCallback, index: number) => ReceiverAnswer;
  /** Resolves once `count` callbacks (at `path`, when given) have been received. */
  waitFor(count: number, path?: string): Promise<ReceivedCallback[]>;
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1. */
export async function startReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const waiters = new Set<() => void>();
  let connections = 0;
  const receiver: CallbackReceiver = {
    url: '',
    port: 0,
    received,
    connections: () => connections,
    answer: () => ({ status: 204 }),
    waitFor: (count, path) =>
      new Promise((resolve) => {
        const check = () => {
          const matching = received.filter((callback) => path === undefined || callback.path === path);
          if (matching.length < count) return;
          waiters.delete(check);
          resolve(matching);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const callback = { path: request.url ?? '', headers: request.headers, body };
      const index = received.filter((earlier) => earlier.path === callback.path).length;
      received.push(callback);
      const answer = receiver.answer(callback, index);
      if (answer !== 'hang') {
        response.writeHead(answer.status, answer.headers);
        response.end();
      }
      for (const waiter of [...waiters]) waiter();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}
