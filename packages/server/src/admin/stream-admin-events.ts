import type { AdminDeliveryEvent, AdminTriggerEvent } from '@autofacilitate/types';
import { adminAuthentication } from '../auth/admin-authentication';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { readParametersAsText, type AdminDependencies } from './admin-dependencies';

const keepAliveMs = 15_000;
// How long a client waits before connecting again once the stream ended (the `retry` field).
const reconnectMs = 2000;

/**
 * `streamAdminEvents`: the organisation's trigger and delivery changes as server-sent events, until
 * `eventStreamSeconds` have passed, the client goes away or the server stops.
 */
export function streamAdminEvents({
  authentication,
  events,
  clock,
  eventStreamSeconds,
}: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    readParametersAsText(app);
    const open = new Set<() => void>();
    // Streams never end by themselves before the server would wait for them: it ends them.
    app.addHook('preClose', (done) => {
      for (const end of [...open]) end();
      done();
    });
    app.route<OperationRoute<'streamAdminEvents'>>({
      ...route,
      onRequest: adminAuthentication(authentication),
      handler: async (request, reply) => {
        const { orgId } = request.params;
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
          'x-request-id': request.id,
        });
        let id = 0;
        const send = (event: string, data: AdminTriggerEvent | AdminDeliveryEvent) => {
          if (data.orgId === orgId) raw.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        };
        const onTrigger = (data: AdminTriggerEvent) => send('trigger', data);
        const onDelivery = (data: AdminDeliveryEvent) => send('delivery', data);
        const keepAlive = clock.setInterval(() => raw.write(': keep-alive\n\n'), keepAliveMs);
        const end = () => {
          if (!open.delete(end)) return;
          events.off('trigger', onTrigger);
          events.off('delivery', onDelivery);
          clock.clearInterval(keepAlive);
          clock.clearTimeout(expiry);
          raw.end();
        };
        const expiry = clock.setTimeout(end, eventStreamSeconds * 1000);
        open.add(end);
        events.on('trigger', onTrigger);
        events.on('delivery', onDelivery);
        raw.on('close', end);
        raw.write(`retry: ${reconnectMs}\n: open\n\n`);
      },
    });
  };
}
