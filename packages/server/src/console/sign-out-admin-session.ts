import { consoleSessionMissing } from '../errors/catalogue';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { AdminDependencies } from '../admin/admin-dependencies';
import { requireSameOrigin } from './same-origin';
import { clearedSetCookie, sessionTokenOf } from './session-cookie';

/** `signOutAdminSession`: ends the session on the server and clears its cookie in the browser. */
export function signOutAdminSession({ authentication }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    app.route<OperationRoute<'signOutAdminSession'>>({
      ...route,
      // Before the header's schema is checked: a forged sign-out is refused as such (403).
      onRequest: async (request) => {
        const token = sessionTokenOf(request);
        if (token === undefined || !authentication.sessions.find(token)) throw consoleSessionMissing();
        requireSameOrigin(request);
      },
      handler: async (request, reply) => {
        authentication.sessions.close(sessionTokenOf(request)!);
        request.log.info('console signed out');
        reply.header('set-cookie', clearedSetCookie(request));
        return reply.code(204).send();
      },
    });
  };
}
