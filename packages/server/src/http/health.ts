import type { FastifyInstance, LogLevel } from 'fastify';
import type { Store } from '../storage/store';

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `GET /healthz`: 200 while the store answers, 503 when it does not. */
export function health(app: FastifyInstance, store: Store): void {
  // Probes call often: their requests are logged from warn up, never more than the server logs.
  const logLevel = levels[Math.max(levels.indexOf('warn'), levels.indexOf(app.log.level as LogLevel))]!;
  app.get('/healthz', { logLevel }, async (request, reply) => {
    try {
      await store.ping();
      return { status: 'ok' };
    } catch (error) {
      request.log.error({ err: error }, 'the store does not answer');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
