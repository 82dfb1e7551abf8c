import type { FastifyInstance } from 'fastify';

/**
 * Answers `Content-Type: application/json`, the media type the spec declares, where Fastify would
 * add `; charset=utf-8`: JSON is UTF-8 by definition and has no charset parameter (RFC 8259 §11),
 * and contract checks compare the media type as declared.
 */
export function plainJsonContentType(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8')
      reply.header('content-type', 'application/json');
    done(null, payload);
  });
}
