import type { AdminApiKeyUsage } from '@autofacilitate/types';
import { adminAuthentication } from '../auth/admin-authentication';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { readParametersAsText, type AdminDependencies } from './admin-dependencies';

/** How an API key is shown: never the key, only the first digits of its hash, as the configuration has it. */
const hashPrefix = (hash: string) => hash.slice('sha256$'.length, 'sha256$'.length + 8);

/** `getAdminUsage`: the calls of each of the organisation's API keys, per operation, counted up to now. */
export function getAdminUsage({ authentication, store, organisations, usage }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    readParametersAsText(app);
    app.route<OperationRoute<'getAdminUsage'>>({
      ...route,
      onRequest: adminAuthentication(authentication),
      handler: async (request) => {
        const { orgId } = request.params;
        // The counts kept in memory since the last flush are part of the answer.
        await usage.flush();
        const counts = (await store.usage.listUsage()).filter((count) => count.orgId === orgId);
        const apiKeys = Object.entries(organisations[orgId]!.apiKeys).map(([name, apiKey]): AdminApiKeyUsage => ({
          name,
          hashPrefix: hashPrefix(apiKey.hash),
          operations: counts
            .filter((count) => count.apiKey === name)
            .map(({ operationId, count, lastUsedAt }) => ({
              operationId,
              count,
              lastUsedAt: new Date(lastUsedAt).toISOString(),
            })),
        }));
        return { apiKeys };
      },
    });
  };
}
