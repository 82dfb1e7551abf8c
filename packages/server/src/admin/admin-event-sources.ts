import type { CallbackDeliverer } from '../callbacks/callback-deliverer';
import type { NewTrigger, TriggerState } from '../storage/trigger-types';
import type { Clock } from '../time/clock';
import type { TriggerWorker } from '../triggers/trigger-worker';
import type { AdminEvents } from './admin-events';
import { adminDeliveryAttempt } from './admin-views';

/**
 * Tells the admin events of what the worker and the deliverer of this process do; returns what
 * execute calls for each trigger it writes.
 */
export function feedAdminEvents(
  events: AdminEvents,
  worker: TriggerWorker,
  deliverer: CallbackDeliverer,
  clock: Clock,
): (trigger: NewTrigger) => void {
  const now = () => new Date(clock.now()).toISOString();
  const changed = ({ orgId, triggerUUID, vsn }: NewTrigger, status: TriggerState) =>
    events.emit('trigger', { orgId, triggerUUID, vsn, status, at: now() });
  worker.on('running', (trigger) => changed(trigger, 'running'));
  worker.on('finished', (trigger, status) => changed(trigger, status));
  deliverer.on('attempted', ({ delivery }, attempt, status) =>
    events.emit('delivery', {
      orgId: delivery.orgId,
      triggerUUID: delivery.triggerUUID,
      deliveryId: delivery.deliveryId,
      webhookId: delivery.webhookId,
      status,
      attempt: adminDeliveryAttempt(attempt),
      at: now(),
    }),
  );
  return (trigger) => changed(trigger, 'queued');
}
