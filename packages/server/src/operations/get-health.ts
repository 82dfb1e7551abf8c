import type { Health, HealthCheck } from '@autofacilitate/types';
import type { LogLevel } from 'fastify';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { Storage } from '../storage/storage';

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * `getHealth` (`GET /healthz`): 200 while the database and the queue of jobs answer, 503 when
 * either does not, with a check of each. No credentials.
 */
export function getHealth(store: Storage): OperationPlugin {
  return async (app, { route }) => {
    // Probes call often: their requests are logged from warn up, never more than the server logs.
    const logLevel = levels[Math.max(levels.indexOf('warn'), levels.indexOf(app.log.level as LogLevel))]!;
    app.route<OperationRoute<'getHealth'>>({
      ...route,
      logLevel,
      handler: async (request, reply) => {
        const check = async (part: string, ping: () => Promise<void>): Promise<HealthCheck> => {
          try {
            if (request.injectedFault === 'unavailable') throw new Error(`Fault injected: the ${part} does not answer`);
            await ping();
            return { status: 'ok' };
          } catch (error) {
            request.log.error({ err: error }, `the ${part} does not answer`);
            return { status: 'unavailable' };
          }
        };
        const [database, queue] = await Promise.all([
          check('database', () => store.ping()),
          check('queue', () => store.pingQueue()),
        ]);
        const ok = database.status === 'ok' && queue.status === 'ok';
        const health: Health = { status: ok ? 'ok' : 'unavailable', checks: { database, queue } };
        return reply.code(ok ? 200 : 503).send(health);
      },
    });
  };
}
