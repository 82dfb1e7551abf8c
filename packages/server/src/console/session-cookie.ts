import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';

/** The console's session cookie, as the spec's `adminSession` security scheme names it. */
export const sessionCookie = 'autofacilitate_admin_session';

// Sent only to the admin API, never to the console's pages or the API of execute.
const path = '/admin/v1';

/** The session token a request's cookie carries, if any. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[sessionCookie] || undefined : undefined;
}

/**
 * The `Set-Cookie` of a session: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * request carries it), no expiry (the browser forgets it when it closes), Secure over HTTPS.
 */
export function sessionSetCookie(request: FastifyRequest, token: string): string {
  return stringifySetCookie({
    name: sessionCookie,
    value: token,
    path,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

/** The `Set-Cookie` that makes the browser forget the session. */
export function clearedSetCookie(request: FastifyRequest): string {
  return stringifySetCookie({
    name: sessionCookie,
    value: '',
    path,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    expires: new Date(0),
  });
}
