import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { ServerMetrics } from '../metrics/server-metrics';

/**
 * `getMetrics` (`GET /metrics`): the Prometheus text format, version 0.0.4, which `text/plain`
 * means to Prometheus when it names no version. No credentials.
 */
export function getMetrics(metrics: ServerMetrics): OperationPlugin {
  return async (app, { route }) => {
    app.route<OperationRoute<'getMetrics'>>({
      ...route,
      handler: async (_request, reply) =>
        reply
          .header('content-type', 'text/plain')
          .code(200)
          .send(await metrics.registry.metrics()),
    });
  };
}
