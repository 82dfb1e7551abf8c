import { sha256 } from '../auth/secret-hash';
import { bodyEmpty, consoleSignInRefused, mediaTypeUnsupported } from '../errors/catalogue';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import type { AdminDependencies } from '../admin/admin-dependencies';
import { adminSessionView } from './admin-session-view';
import { requireSameOrigin } from './same-origin';
import { sessionSetCookie } from './session-cookie';

/** `signInAdminSession`: trades an admin key for a session cookie the browser cannot read. */
export function signInAdminSession({ authentication, organisations }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    // A sign-in is JSON only: a body in any other media type is a 415, never read as text.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    app.addContentTypeParser('*', (_request, _payload, done) => done(mediaTypeUnsupported('application/json')));
    app.route<OperationRoute<'signInAdminSession'>>({
      ...route,
      // Before the body is read: a sign-in another site forged is refused whatever it carries.
      onRequest: async (request) => requireSameOrigin(request),
      handler: async (request, reply) => {
        // Fastify checks a body's schema only when there is a body.
        if (request.body === undefined) throw bodyEmpty();
        const admin = authentication.admin(sha256(request.body.adminKey));
        if (!admin) throw consoleSignInRefused();
        const { token, session } = authentication.sessions.open(admin);
        request.log.info({ admin: admin.name }, 'console signed in');
        reply.header('set-cookie', sessionSetCookie(request, token)).header('cache-control', 'no-store');
        return adminSessionView(session, organisations);
      },
    });
  };
}
