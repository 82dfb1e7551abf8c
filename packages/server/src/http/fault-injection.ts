import type { FastifyInstance } from 'fastify';

/** The header that makes a request fail, when the configuration allows it. */
export const faultHeader = 'x-autofacilitate-fault';

/**
 * For contract tests only (`testing.faultInjection`): a request carrying `x-autofacilitate-fault:
 * internal` fails after its checks, as an unexpected error would, so the documented 500 can be
 * reached on a real server.
 */
export function installFaultInjection(app: FastifyInstance): void {
  app.log.warn(`testing.faultInjection is on: requests with ${faultHeader}: internal fail with 500; never use this configuration in production`);
  app.addHook('preHandler', async (request) => {
    if (request.headers[faultHeader] === 'internal') throw new Error(`Fault injected by ${faultHeader}`);
  });
}
