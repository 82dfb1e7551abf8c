import { METHODS } from 'node:http';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { methodNotAllowed } from '../errors/catalogue';
import type { SpecRoute } from '../spec/load-spec';

/**
 * Answers 405 with `Allow` (RFC 9110 §15.5.6) for every method a documented path does not serve,
 * before any body is read. HEAD is served wherever GET is.
 */
export function methodNotAllowedRoutes(app: FastifyInstance, routes: readonly SpecRoute[]): void {
  const byPath = new Map<string, Set<string>>();
  for (const { url, method } of routes) {
    const methods = byPath.get(url) ?? new Set<string>();
    methods.add(method.toUpperCase());
    if (method.toUpperCase() === 'GET') methods.add('HEAD');
    byPath.set(url, methods);
  }
  const supported = new Set<string>(app.supportedMethods);
  for (const [url, served] of byPath) {
    const allowed = [...served].sort();
    const others = METHODS.filter((method) => supported.has(method) && !served.has(method)) as HTTPMethods[];
    app.route({
      method: others,
      url,
      onRequest: async (request) => {
        throw methodNotAllowed(request.method, allowed);
      },
      handler: async () => undefined,
    });
  }
}
