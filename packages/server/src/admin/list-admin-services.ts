import type { AdminService, AdminServiceSample } from '@autofacilitate/types';
import { adminAuthentication } from '../auth/admin-authentication';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { readParametersAsText, type AdminDependencies } from './admin-dependencies';

const hourMs = 3_600_000;
// The last hour in twelve samples of five minutes, for the console's charts.
const samples = 12;
const sampleMs = hourMs / samples;

/** `listAdminServices`: the organisation's configured services, with their queue and last hour's outcomes. */
export function listAdminServices({ authentication, store, organisations, clock }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    readParametersAsText(app);
    app.route<OperationRoute<'listAdminServices'>>({
      ...route,
      onRequest: adminAuthentication(authentication),
      handler: async (request) => {
        const { orgId } = request.params;
        const since = clock.now() - hourMs;
        const load = new Map((await store.admin.serviceLoad(orgId, since)).map((row) => [row.vsn, row]));
        const history = await store.admin.serviceHistory(orgId, since, sampleMs, samples);
        const seriesOf = (vsn: string): AdminServiceSample[] =>
          Array.from({ length: samples }, (_, sample) => {
            const found = history.find((row) => row.vsn === vsn && row.sample === sample);
            return {
              at: new Date(since + sample * sampleMs).toISOString(),
              queued: found?.queued ?? 0,
              finished: found?.finished ?? 0,
              latencyMs: found?.latencyMs,
            };
          });
        const services = Object.entries(organisations[orgId]!.services).map(([vsn, config]): AdminService => {
          const found = load.get(vsn);
          const { succeeded = 0, failed = 0, timed_out: timedOut = 0 } = found?.finished ?? {};
          const finished = succeeded + failed + timedOut;
          return {
            vsn,
            kind: config.kind,
            concurrency: config.concurrency,
            timeoutMs: config.timeoutMs,
            queued: found?.queued ?? 0,
            running: found?.running ?? 0,
            lastHour: { succeeded, failed, timedOut, successRate: finished > 0 ? succeeded / finished : undefined },
            lastHourSeries: seriesOf(vsn),
          };
        });
        return { services: services.sort((a, b) => a.vsn.localeCompare(b.vsn)) };
      },
    });
  };
}
