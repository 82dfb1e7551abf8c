import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { adminOperations } from '../admin/admin-operations';
import type { AdminDependencies } from '../admin/admin-dependencies';
import type { ApiAuthenticationDependencies } from '../auth/api-authentication';
import { FailedAuthentications } from '../auth/failed-authentications';
import type { ServerConfig } from '../config/server-config';
import { probeOperations } from '../config/server-role';
import { consoleDirectory } from '../console/console-directory';
import { consolePages } from '../console/console-pages';
import type { ServerMetrics } from '../metrics/server-metrics';
import { executeService, type ExecuteDependencies } from '../operations/execute-service';
import { getAccessToken } from '../operations/get-access-token';
import { getHealth } from '../operations/get-health';
import { getMetrics } from '../operations/get-metrics';
import { getTriggerResult } from '../operations/get-trigger-result';
import type { SpecRoute } from '../spec/load-spec';
import type { Storage } from '../storage/storage';
import type { Ids } from '../random/ids';
import { installErrorHandling } from './error-handler';
import { installFaultInjection } from './fault-injection';
import { plainJsonContentType } from './json-content-type';
import { RequestLog } from './request-log';
import { countRequests } from './request-metrics';
import { echoRequestId, requestIdFrom } from './request-id';
import { clientErrorHandler, frameworkErrors, maxParamLength } from './framework-errors';
import { methodNotAllowedRoutes } from './method-not-allowed';
import { closeAfterEarlyAnswer, slowClientOptions } from './slow-clients';
import { notServedHere } from './not-served-here';
import { specRoutes, type OperationPlugin } from './spec-routes';

/** Everything the HTTP side is made of. */
export interface AppDependencies {
  config: ServerConfig;
  routes: SpecRoute[];
  store: Storage;
  authentication: ApiAuthenticationDependencies;
  /** What execute needs besides its authentication. */
  execute: Omit<ExecuteDependencies, 'authentication'>;
  admin: AdminDependencies;
  metrics: ServerMetrics;
  decoySecretHash: string;
  /** A worker process: it answers the probes (`getHealth`, `getMetrics`) alone, and serves no console. */
  probesOnly?: boolean;
  ids: Ids;
  log: FastifyBaseLogger;
}

/** The Fastify application: the spec's operations, errors in the API's shape, metrics of every answer. */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, routes, store, authentication, metrics, decoySecretHash, ids, log } = dependencies;
  const app = Fastify({
    loggerInstance: log,
    logController: new RequestLog(),
    genReqId: requestIdFrom(ids.requestId),
    requestIdHeader: false,
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.server.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...slowClientOptions(config.server),
    routerOptions: { maxParamLength },
    frameworkErrors: frameworkErrors(config.limits.bodyBytes),
    clientErrorHandler: clientErrorHandler(ids.requestId, config.server.requestTimeoutMs),
    // The spec's schemas are the contract: no coercion, nothing silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  echoRequestId(app);
  closeAfterEarlyAnswer(app);
  plainJsonContentType(app);
  countRequests(app, metrics, routes);
  installErrorHandling(app, config.limits.bodyBytes);
  if (config.testing.faultInjection) installFaultInjection(app);
  methodNotAllowedRoutes(app, routes);
  if (consoleDirectory && !dependencies.probesOnly) await app.register(consolePages, { directory: consoleDirectory });
  const operations: Record<string, OperationPlugin> = {
    getAccessToken: getAccessToken({
      credentials: authentication.credentials,
      tokens: authentication.tokens,
      decoySecretHash,
      failures: new FailedAuthentications(
        store.rateLimiter('failed-authentications', dependencies.execute.clock),
        config.limits.failedAuthentications,
      ),
    }),
    executeService: executeService({ authentication, ...dependencies.execute }),
    getTriggerResult: getTriggerResult({ authentication, store: store.triggers }),
    getMetrics: getMetrics(metrics),
    getHealth: getHealth(store),
    ...adminOperations(dependencies.admin),
  };
  if (dependencies.probesOnly) {
    for (const operationId of Object.keys(operations)) {
      if (!probeOperations.has(operationId)) operations[operationId] = notServedHere;
    }
  }
  await app.register(specRoutes, { routes, operations });
  await app.ready();
  return app;
}
