import { adminAuthentication } from '../auth/admin-authentication';
import { triggerNotFound } from '../errors/catalogue';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { readParametersAsText, type AdminDependencies } from './admin-dependencies';
import { adminTrigger } from './admin-views';

/** `getAdminTrigger`: one trigger of the organisation, with its timeline and deliveries; another organisation's is not found. */
export function getAdminTrigger({ authentication, store }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    readParametersAsText(app);
    app.route<OperationRoute<'getAdminTrigger'>>({
      ...route,
      onRequest: adminAuthentication(authentication),
      handler: async (request) => {
        const { orgId, triggerUUID } = request.params;
        const trigger = await store.triggers.findTrigger(orgId, triggerUUID.toLowerCase());
        if (!trigger) throw triggerNotFound(triggerUUID);
        return adminTrigger(trigger, await store.deliveries.findDeliveries(trigger.triggerUUID));
      },
    });
  };
}
