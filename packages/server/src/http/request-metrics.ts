import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../metrics/server-metrics';
import type { SpecRoute } from '../spec/load-spec';

/** Counts every answer, and the time it took, under the operationId of its route (`none` for paths the spec lacks). */
export function countRequests(app: FastifyInstance, metrics: ServerMetrics, routes: readonly SpecRoute[]): void {
  // By method, then by route: two lookups and no key built per request.
  const operations = new Map<string, Map<string, string>>();
  for (const { method, url, operationId } of routes) {
    const byUrl = operations.get(method) ?? new Map<string, string>();
    operations.set(method, byUrl.set(url, operationId));
  }
  app.addHook('onResponse', (request, reply, done) => {
    const operation = operations.get(request.method)?.get(request.routeOptions.url ?? '') ?? 'none';
    metrics.request(operation, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
