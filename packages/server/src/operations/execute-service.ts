import { apiAuthentication, type ApiAuthenticationDependencies } from '../auth/api-authentication';
import { badRequest, notFound, unprocessable } from '../http/api-error';
import type { OperationPlugin } from '../http/spec-routes';
import { parseTriggerXml } from '../http/xml-body';
import type { ServiceRegistry } from '../services/service-registry';
import type { Store } from '../storage/store';
import type { Clock } from '../support/clock';
import type { Ids } from '../support/ids';

/** What `executeService` needs. */
export interface ExecuteDependencies {
  authentication: ApiAuthenticationDependencies;
  services: ServiceRegistry;
  store: Store;
  /** Told when a trigger was written, so that it runs at once. */
  worker: { wake(): void };
  clock: Clock;
  ids: Ids;
}

/** The body, JSON or XML, once the spec's schema has validated it. */
interface TriggerParameter {
  triggerParameters?: Record<string, string>;
  callbackUrls?: string[];
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `executeService`: writes the trigger and its job in one transaction and answers with the fresh
 * triggerUUID; a worker runs it. Checks go from the cheapest and least revealing to the most:
 * credentials (401), organisation and service (404) before the body is read, then the body
 * (413, 415, 400), then what the service needs (422).
 */
export function executeService(dependencies: ExecuteDependencies): OperationPlugin {
  const { services, store, worker, clock, ids } = dependencies;
  return async (app, { route }) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    app.addContentTypeParser('application/xml', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseTriggerXml(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    const authenticate = apiAuthentication(dependencies.authentication, route.operationId);
    app.route({
      ...route,
      onRequest: [
        authenticate,
        (request, _reply, done) => {
          const { orgId, vsn } = request.params as { orgId: string; vsn: string };
          done(services.get(orgId, vsn) ? undefined : notFound('path.vsn', `Service ${vsn} not found in organisation ${orgId}`));
        },
      ],
      handler: async (request) => {
        const { orgId, vsn } = request.params as { orgId: string; vsn: string };
        const body = request.body as TriggerParameter | undefined;
        if (body === undefined) {
          throw badRequest('body', 'A body is required: send the trigger as application/json or application/xml');
        }
        const triggerParameters = body.triggerParameters ?? {};
        const callbackUrls = body.callbackUrls ?? [];
        callbackUrls.forEach((url, index) => {
          if (!isHttpUrl(url)) {
            const scope = `body.callbackUrls[${index}]`;
            throw badRequest(scope, `${scope} must be an http:// or https:// URL`);
          }
        });
        // The onRequest check found the service.
        const service = services.get(orgId, vsn)!;
        const problems = service.check(triggerParameters);
        if (problems.length > 0) {
          const [first, ...more] = problems.map(({ parameter, message }) => ({
            scope: `body.triggerParameters.${parameter}`,
            reason: 'Unprocessable Entity',
            message,
          }));
          throw unprocessable([first!, ...more]);
        }
        const triggerUUID = ids.triggerUUID();
        await store.createTrigger({
          triggerUUID,
          orgId,
          vsn,
          triggerParameters,
          callbackUrls,
          requestId: request.id,
          createdAt: clock.now(),
        });
        worker.wake();
        return { message: `Successfully triggered ${vsn}@${orgId}`, triggerUUID };
      },
    });
  };
}
