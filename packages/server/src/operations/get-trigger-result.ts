import { apiAuthentication, type ApiAuthenticationDependencies } from '../auth/api-authentication';
import { triggerNotFound, triggerOfAnotherService } from '../errors/catalogue';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { TriggerStore } from '../storage/trigger-store';
import { triggerOutcome, triggerProgress } from '../triggers/trigger-outcome';

/** What `getTriggerResult` needs. */
export interface ResultDependencies {
  authentication: ApiAuthenticationDependencies;
  store: TriggerStore;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `getTriggerResult`: 204 when the trigger succeeded with no output (Alvaria's API reference's answer), 200 with
 * the outcome when it finished with output or failed, 202 with its progress while it waits or
 * runs. Another organisation's trigger is not found; a trigger of another service is a 422.
 */
export function getTriggerResult({ authentication, store }: ResultDependencies): OperationPlugin {
  return async (app, { route }) => {
    app.route<OperationRoute<'getTriggerResult'>>({
      ...route,
      onRequest: apiAuthentication(authentication, route.operationId),
      handler: async (request, reply) => {
        const { orgId, vsn, triggerUUID } = request.params;
        // The spec allows any string: one that is no UUID names no trigger.
        const trigger = uuid.test(triggerUUID) ? await store.findResult(orgId, triggerUUID.toLowerCase()) : undefined;
        if (!trigger) throw triggerNotFound(triggerUUID);
        if (trigger.vsn !== vsn) {
          throw triggerOfAnotherService(triggerUUID, trigger.vsn, vsn);
        }
        switch (trigger.status) {
          case 'queued':
          case 'running':
            return reply.header('retry-after', '1').code(202).send(triggerProgress(trigger));
          case 'succeeded':
            if (trigger.output === undefined) return reply.code(204).send();
            return triggerOutcome(trigger);
          default:
            return triggerOutcome(trigger);
        }
      },
    });
  };
}
