// A callback receiver on 127.0.0.1: answers 204, notes when each trigger's callback came.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

export async function startReceiver() {
  const arrivals = [];
  const waiting = new Map();
  // A callback may come before its execute's answer has been read.
  const early = new Map();
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      const at = performance.now();
      arrivals.push(at);
      const { triggerUUID } = JSON.parse(Buffer.concat(chunks).toString()).data;
      const waiter = waiting.get(triggerUUID);
      waiting.delete(triggerUUID);
      if (waiter) waiter(at);
      else early.set(triggerUUID, at);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/callbacks`,
    arrivals,
    /** Resolves with the time the callback of `triggerUUID` arrives. */
    callbackOf: (triggerUUID) =>
      new Promise((resolve) => {
        const at = early.get(triggerUUID);
        early.delete(triggerUUID);
        if (at === undefined) waiting.set(triggerUUID, resolve);
        else resolve(at);
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
