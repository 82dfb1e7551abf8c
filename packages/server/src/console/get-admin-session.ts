import { consoleSessionMissing } from '../errors/catalogue';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { AdminDependencies } from '../admin/admin-dependencies';
import { adminSessionView } from './admin-session-view';
import { sessionTokenOf } from './session-cookie';

/** `getAdminSession`: whom the session cookie signs in, so that a reloaded console carries on. */
export function getAdminSession({ authentication, organisations }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    app.route<OperationRoute<'getAdminSession'>>({
      ...route,
      handler: async (request, reply) => {
        const token = sessionTokenOf(request);
        const session = token === undefined ? undefined : authentication.sessions.find(token);
        if (!session) throw consoleSessionMissing();
        reply.header('cache-control', 'no-store');
        return adminSessionView(session, organisations);
      },
    });
  };
}
