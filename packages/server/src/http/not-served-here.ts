import { operationNotServedHere } from '../errors/catalogue';
import type { OperationPlugin } from './spec-routes';

/**
 * Binds an operation this process does not answer (a worker process answers its probes only): 404
 * naming where to send it, before the body is read or anything checked.
 */
export const notServedHere: OperationPlugin = async (app, { route }) => {
  app.route({
    method: route.method,
    url: route.url,
    onRequest: async (request) => {
      throw operationNotServedHere(request.method, request.url.split('?')[0]!);
    },
    handler: async () => undefined,
  });
};
