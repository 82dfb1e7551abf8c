import type { FastifyRequest } from 'fastify';
import { consoleCrossSite } from '../errors/catalogue';

/** The header only the console's own scripts send: a form or a link of another site cannot. */
export const consoleHeader = 'x-autofacilitate-console';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses (403) a request that a session cookie authenticates and that changes state, unless it
 * proves it comes from the console's page: the console's header, and, when the browser sends them,
 * `Sec-Fetch-Site: same-origin` and an `Origin` of this server. SameSite=Strict keeps the cookie
 * off other sites' requests already; this holds where a browser or a proxy does not.
 */
export function requireSameOrigin(request: FastifyRequest): void {
  if (safeMethods.has(request.method)) return;
  if (request.headers[consoleHeader] !== '1')
    throw consoleCrossSite(`header.${consoleHeader}`, `The request must carry ${consoleHeader}: 1`);
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin')
    throw consoleCrossSite('header.Sec-Fetch-Site', `The request comes from another site (${site})`);
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`)
    throw consoleCrossSite('header.Origin', `The request comes from another origin (${origin})`);
}
