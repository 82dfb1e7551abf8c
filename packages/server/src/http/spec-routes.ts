import type { FastifyPluginAsync } from 'fastify';
import type { SpecRoute } from '../spec/load-spec';

/**
 * Serves one operation of the spec. It runs in its own encapsulated context, so the body parsers
 * and hooks it adds concern its operation only.
 */
export type OperationPlugin = FastifyPluginAsync<{ route: SpecRoute }>;

/** Options of {@link specRoutes}. */
export interface SpecRoutesOptions {
  routes: SpecRoute[];
  /** One plugin per operationId of the spec; an operation without one stops start-up. */
  operations: Record<string, OperationPlugin>;
}

/** Binds every operation of the spec to the plugin named by its operationId. */
export const specRoutes: FastifyPluginAsync<SpecRoutesOptions> = async (app, { routes, operations }) => {
  const specified = new Set(routes.map((route) => route.operationId));
  const unbound = [...specified].filter((operationId) => !operations[operationId]);
  const unknown = Object.keys(operations).filter((operationId) => !specified.has(operationId));
  if (unbound.length > 0) throw new Error(`Operations of the spec without an implementation: ${unbound.join(', ')}`);
  if (unknown.length > 0) throw new Error(`Implementations of operations the spec lacks: ${unknown.join(', ')}`);
  for (const route of routes) {
    await app.register(operations[route.operationId]!, { route });
  }
};
