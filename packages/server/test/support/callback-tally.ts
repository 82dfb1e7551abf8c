import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback as the tally got it. */
export interface TalliedCallback {
  webhookId: string;
  status: string;
}

/** A receiver of many callbacks that files them by trigger, for tests of thousands of triggers. */
export interface CallbackTally {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The callbacks of each trigger, in the order they came. */
  byTrigger: Map<string, TalliedCallback[]>;
  /** Every callback received, retries included. */
  received(): number;
  /** Resolves once callbacks of `count` distinct triggers have come. */
  reach(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a tally on a free port of 127.0.0.1. It answers 204, but 503 to the first callback at a
 * path `refuseFirst` names, so that those are retried.
 */
export async function startCallbackTally(refuseFirst: (path: string) => boolean): Promise<CallbackTally> {
  const byTrigger = new Map<string, TalliedCallback[]>();
  const pathsSeen = new Set<string>();
  const waiters = new Set<{ count: number; resolve: () => void }>();
  let received = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received++;
      const { data } = JSON.parse(body) as { data: { triggerUUID: string; status: string } };
      const callbacks = byTrigger.get(data.triggerUUID) ?? [];
      callbacks.push({ webhookId: String(request.headers['webhook-id']), status: data.status });
      byTrigger.set(data.triggerUUID, callbacks);
      const path = request.url!;
      const first = !pathsSeen.has(path);
      pathsSeen.add(path);
      response.writeHead(first && refuseFirst(path) ? 503 : 204).end();
      for (const waiter of waiters) {
        if (byTrigger.size >= waiter.count) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    byTrigger,
    received: () => received,
    reach: (count) =>
      byTrigger.size >= count ? Promise.resolve() : new Promise((resolve) => waiters.add({ count, resolve })),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
