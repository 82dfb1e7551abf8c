import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

// A caller's own request id is kept when it is short and plain, so it can be followed across systems.
const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's `genReqId`: the caller's `x-request-id` when acceptable, a fresh one otherwise. */
export function requestIdFrom(newId: () => string): (request: IncomingMessage) => string {
  return (request) => {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && acceptable.test(given) ? given : newId();
  };
}

/** Sends every request's id back in `x-request-id`. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
