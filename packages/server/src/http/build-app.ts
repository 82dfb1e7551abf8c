import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiAuthenticationDependencies } from '../auth/api-authentication';
import type { ServerConfig } from '../config/server-config';
import { executeService } from '../operations/execute-service';
import { getAccessToken } from '../operations/get-access-token';
import { getTriggerResult } from '../operations/get-trigger-result';
import type { ServiceRegistry } from '../services/service-registry';
import type { SpecRoute } from '../spec/load-spec';
import type { Store } from '../storage/store';
import type { Clock } from '../support/clock';
import type { Ids } from '../support/ids';
import { installErrorHandling } from './error-handler';
import { installFaultInjection } from './fault-injection';
import { health } from './health';
import { plainJsonContentType } from './json-content-type';
import { echoRequestId, requestIdFrom } from './request-id';
import { specRoutes } from './spec-routes';

/** Everything the HTTP side is made of. */
export interface AppDependencies {
  config: ServerConfig;
  routes: SpecRoute[];
  store: Store;
  services: ServiceRegistry;
  authentication: ApiAuthenticationDependencies;
  worker: { wake(): void };
  decoySecretHash: string;
  clock: Clock;
  ids: Ids;
  log: FastifyBaseLogger;
}

/** The Fastify application: the spec's operations, `/healthz`, errors in the API's shape. */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, routes, store, services, authentication, worker, decoySecretHash, clock, ids, log } = dependencies;
  const app = Fastify({
    loggerInstance: log,
    genReqId: requestIdFrom(ids.requestId),
    requestIdHeader: false,
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.server.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // The spec's schemas are the contract: no coercion, nothing silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  echoRequestId(app);
  plainJsonContentType(app);
  installErrorHandling(app, config.limits.bodyBytes);
  if (config.testing.faultInjection) installFaultInjection(app);
  health(app, store);
  await app.register(specRoutes, {
    routes,
    operations: {
      getAccessToken: getAccessToken({ credentials: authentication.credentials, tokens: authentication.tokens, decoySecretHash }),
      executeService: executeService({ authentication, services, store, worker, clock, ids }),
      getTriggerResult: getTriggerResult({ authentication, store }),
    },
  });
  await app.ready();
  return app;
}
