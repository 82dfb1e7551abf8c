import type { LogLevel } from 'fastify';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { Storage } from '../storage/storage';

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `getHealth` (`GET /healthz`): 200 while the store answers, 503 when it does not. No credentials. */
export function getHealth(store: Storage): OperationPlugin {
  return async (app, { route }) => {
    // Probes call often: their requests are logged from warn up, never more than the server logs.
    const logLevel = levels[Math.max(levels.indexOf('warn'), levels.indexOf(app.log.level as LogLevel))]!;
    app.route<OperationRoute<'getHealth'>>({
      ...route,
      logLevel,
      handler: async (request, reply) => {
        try {
          if (request.injectedFault === 'unavailable') throw new Error('Fault injected: the store does not answer');
          await store.ping();
          return { status: 'ok' };
        } catch (error) {
          request.log.error({ err: error }, 'the store does not answer');
          return reply.code(503).send({ status: 'unavailable' });
        }
      },
    });
  };
}
