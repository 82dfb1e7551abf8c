import { adminAuthentication } from '../auth/admin-authentication';
import { adminDeliveryInFlight, adminDeliveryNotFound, triggerNotFound } from '../errors/catalogue';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { readParametersAsText, type AdminDependencies } from './admin-dependencies';
import { adminDelivery } from './admin-views';

/** `resendAdminDelivery`: makes a delivery due again at once, under its `webhook-id`, and wakes the deliverer. */
export function resendAdminDelivery({
  authentication,
  store,
  events,
  deliverer,
  clock,
}: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    readParametersAsText(app);
    app.route<OperationRoute<'resendAdminDelivery'>>({
      ...route,
      onRequest: adminAuthentication(authentication),
      handler: async (request, reply) => {
        const { orgId, deliveryId } = request.params;
        const triggerUUID = request.params.triggerUUID.toLowerCase();
        const trigger = await store.triggers.findTrigger(orgId, triggerUUID);
        if (!trigger) throw triggerNotFound(request.params.triggerUUID);
        const now = clock.now();
        const resent = await store.admin.resendDelivery({ orgId, triggerUUID, deliveryId, now });
        if (resent.outcome === 'not_found') throw adminDeliveryNotFound(triggerUUID, deliveryId);
        if (resent.outcome === 'in_flight') throw adminDeliveryInFlight(deliveryId);
        request.log.info({ triggerUUID, deliveryId, admin: request.admin?.name }, 'callback sent again');
        deliverer.wake();
        const { delivery } = resent;
        events.emit('delivery', {
          orgId,
          triggerUUID,
          deliveryId,
          webhookId: delivery.webhookId,
          status: delivery.status,
          at: new Date(now).toISOString(),
        });
        return reply.code(202).send(adminDelivery(delivery));
      },
    });
  };
}
