import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The header that makes a request fail, when the configuration allows it. */
export const faultHeader = 'x-autofacilitate-fault';

/**
 * The faults a request may ask for:
 * - `internal`: it fails after its checks, as an unexpected error would (500);
 * - `hold`: an execute holds its `Idempotency-Key` until its client gives up on it, so that a
 *   second request can meet it in flight (409);
 * - `unavailable`: the store does not answer `GET /healthz` (503), nor the limit checks of execute
 *   and of the token endpoint (503).
 */
export type Fault = 'internal' | 'hold' | 'unavailable';

const faults = new Set<string>(['internal', 'hold', 'unavailable']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The fault the request asked for, with `testing.faultInjection` only. */
    injectedFault: Fault | undefined;
  }
}

/**
 * For contract tests only (`testing.faultInjection`): a request carrying `x-autofacilitate-fault`
 * meets the fault it names, so that the documented 409, 500 and 503 can be reached on a real
 * server.
 */
export function installFaultInjection(app: FastifyInstance): void {
  app.log.warn(
    `testing.faultInjection is on: requests with ${faultHeader} meet the faults they ask for; never use this configuration in production`,
  );
  app.decorateRequest('injectedFault', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    const fault = request.headers[faultHeader];
    if (typeof fault === 'string' && faults.has(fault)) request.injectedFault = fault as Fault;
    done();
  });
  app.addHook('preHandler', async (request) => {
    if (request.injectedFault === 'internal') throw new Error(`Fault injected by ${faultHeader}`);
  });
}

/** The `hold` fault: waits until the client has gone, then fails the request, which wrote nothing. */
export async function holdIfAsked(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.injectedFault !== 'hold') return;
  if (!reply.raw.destroyed) await new Promise((resolve) => reply.raw.once('close', resolve));
  throw new Error(`The request held by ${faultHeader} was given up by its client`);
}

/** The `unavailable` fault, at a limit check: the store does not answer it. */
export function unavailableIfAsked(request: FastifyRequest): void {
  if (request.injectedFault === 'unavailable')
    throw new Error(`Fault injected by ${faultHeader}: the store does not answer`);
}
