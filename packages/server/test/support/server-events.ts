import type { AutoFacilitateServer, DeliveryHistory } from '../../src';
import { when } from './when';

const finishedStates = new Set(['succeeded', 'failed', 'timed_out']);

/** Resolves once the trigger has finished, told by the worker of `server`. */
export function triggerFinished(server: AutoFacilitateServer, orgId: string, triggerUUID: string): Promise<void> {
  return when(server.worker, 'finished', async () =>
    finishedStates.has((await server.store.triggers.findTrigger(orgId, triggerUUID))?.status ?? ''),
  );
}

/** Resolves once the trigger runs in `server`. */
export function triggerRunning(server: AutoFacilitateServer, orgId: string, triggerUUID: string): Promise<void> {
  return when(
    server.worker,
    'running',
    async () => (await server.store.triggers.findTrigger(orgId, triggerUUID))?.status === 'running',
  );
}

/** The deliveries of a trigger once there are some and none is pending any more. */
export async function deliveriesSettled(server: AutoFacilitateServer, triggerUUID: string): Promise<DeliveryHistory[]> {
  let deliveries: DeliveryHistory[] = [];
  await when(server.deliverer, 'attempted', async () => {
    deliveries = await server.store.deliveries.findDeliveries(triggerUUID);
    return deliveries.length > 0 && deliveries.every((delivery) => delivery.status !== 'pending');
  });
  return deliveries;
}
