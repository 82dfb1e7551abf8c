import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config/server-config';

/**
 * Node's timeouts for clients that send slowly: the whole request (a body trickled byte by byte
 * is answered 408), its headers, and an idle keep-alive connection. Node checks them on an
 * interval, by default every 30 s: a quarter of the shortest timeout keeps the answer prompt.
 */
export function slowClientOptions(server: ServerConfig['server']): {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  const shortest = Math.min(server.requestTimeoutMs, server.headersTimeoutMs);
  return {
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    http: {
      headersTimeout: server.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(shortest / 4))),
    },
  };
}

/**
 * An answer given before the body was read (401, 404, 413, 429…) closes the connection: else
 * Node would go on reading and discarding whatever body the client still sends, for as long as
 * it sends it.
 */
export function closeAfterEarlyAnswer(app: FastifyInstance): void {
  // A callback hook: an async one would cost every answer a promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete) reply.header('connection', 'close');
    done(null, payload);
  });
}
