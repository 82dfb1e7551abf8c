import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * What the console's pages may do: load their own scripts, styles and images, and call this server,
 * nothing else: no inline script, no other host, no framing.
 */
export const consolePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': consolePolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Serves the built console at `/console/`, every answer with its security headers. */
export const consolePages: FastifyPluginAsync<{ directory: string }> = async (app, { directory }) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(securityHeaders);
  });
  app.get('/console', (_request, reply) => reply.redirect('/console/'));
  await app.register(fastifyStatic, {
    root: directory,
    prefix: '/console/',
    // Our own header below, not the plugin's `max-age=0` over it.
    cacheControl: false,
    // The entry page names the hashed assets of this build: it is never cached; they are, for good.
    setHeaders: (response, path) =>
      response.setHeader('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
};
