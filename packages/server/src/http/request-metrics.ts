import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../metrics/server-metrics';
import type { SpecRoute } from '../spec/load-spec';

/** Counts every answer, and the time it took, under the operationId of its route (`none` for paths the spec lacks). */
export function countRequests(app: FastifyInstance, metrics: ServerMetrics, routes: readonly SpecRoute[]): void {
  const operations = new Map(routes.map((route) => [`${route.method} ${route.url}`, route.operationId]));
  app.addHook('onResponse', (request, reply, done) => {
    const operation = operations.get(`${request.method} ${request.routeOptions.url}`) ?? 'none';
    metrics.request(operation, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
