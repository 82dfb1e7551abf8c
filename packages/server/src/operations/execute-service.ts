import { apiAuthentication, type ApiAuthenticationDependencies } from '../auth/api-authentication';
import type { AddressGuard } from '../callbacks/address-guard';
import type { RateConfig } from '../config/server-config';
import { badRequest, conflict, notFound, tooManyRequests, unprocessable, type Problem } from '../http/api-error';
import { holdIfAsked } from '../http/fault-injection';
import type { OperationPlugin } from '../http/spec-routes';
import { parseTriggerXml } from '../http/xml-body';
import type { QueueBound } from '../limits/queue-bound';
import type { RateLimiter } from '../limits/rate-limiter';
import type { ServiceRegistry } from '../services/service-registry';
import { IdempotencyKeyLost } from '../storage/idempotency-types';
import type { Storage } from '../storage/storage';
import type { Clock } from '../support/clock';
import type { Ids } from '../support/ids';
import { malformedCallbackUrl, unreachableCallbackUrl } from './callback-url-checks';
import { executeRequestHash } from './idempotency-key';
import { limitProblems, type TriggerLimits } from './trigger-limits';

/** What `executeService` needs. */
export interface ExecuteDependencies {
  authentication: ApiAuthenticationDependencies;
  services: ServiceRegistry;
  store: Storage;
  /** Told when a trigger was written, so that it runs at once. */
  worker: { wake(): void };
  clock: Clock;
  ids: Ids;
  limits: TriggerLimits;
  /** How fast a client may execute. */
  executeRate(orgId: string, clientId: string): RateConfig;
  rateLimiter: RateLimiter;
  queueBound: QueueBound;
  /** Decides which literal addresses callback URLs may name. */
  guard: AddressGuard;
  /** Whether the organisation has a secret to sign its callbacks with. */
  signsCallbacks(orgId: string): boolean;
  /** How long an `Idempotency-Key` and its answer are kept. */
  idempotencyRetentionMs: number;
}

/** The body, JSON or XML, once the spec's schema has validated it. */
interface TriggerParameter {
  triggerParameters?: Record<string, string>;
  callbackUrls?: string[];
}

// A key held by a request that died (its process was killed mid-request) is free again after this.
const idempotencyLeaseMs = 60_000;
// What a full queue asks callers to wait: long enough for a queue to drain somewhat.
const queueFullRetryAfterSeconds = 5;
const keyScope = 'header.Idempotency-Key';

function unprocessableEntity(scope: string, message: string): Problem {
  return { scope, reason: 'Unprocessable Entity', message };
}

/**
 * `executeService`: writes the trigger and its job in one transaction and answers with the fresh
 * triggerUUID; a worker runs it. Checks go from the cheapest and least revealing to the most:
 * credentials (401), organisation and service (404) and the client's rate (429) before the body is
 * read, then the body (413, 415, 400), then the limits and what the service needs (422), then the
 * `Idempotency-Key` (a replay, 409 or 422) and the organisation's queue (429).
 */
export function executeService(dependencies: ExecuteDependencies): OperationPlugin {
  const { services, store, worker, clock, ids, limits, rateLimiter, queueBound, guard } = dependencies;
  return async (app, { route }) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    app.addContentTypeParser('application/xml', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseTriggerXml(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    const authenticate = apiAuthentication(dependencies.authentication, route.operationId);
    app.route({
      ...route,
      onRequest: [
        authenticate,
        (request, _reply, done) => {
          const { orgId, vsn } = request.params as { orgId: string; vsn: string };
          if (!services.get(orgId, vsn)) return done(notFound('path.vsn', `Service ${vsn} not found in organisation ${orgId}`));
          const { clientId } = request.principal!;
          const rate = dependencies.executeRate(orgId, clientId);
          const waitSeconds = rateLimiter.take(`${orgId}\n${clientId}`, rate);
          if (waitSeconds === undefined) return done();
          done(
            tooManyRequests(
              waitSeconds,
              'Rate limit exceeded',
              `The client ${clientId} may start at most ${rate.perSecond} triggers per second (bursts of ${rate.burst})`,
            ),
          );
        },
      ],
      handler: async (request, reply) => {
        const { orgId, vsn } = request.params as { orgId: string; vsn: string };
        const body = request.body as TriggerParameter | undefined;
        if (body === undefined) {
          throw badRequest('body', 'A body is required: send the trigger as application/json or application/xml');
        }
        const triggerParameters = body.triggerParameters ?? {};
        const callbackUrls = body.callbackUrls ?? [];
        callbackUrls.forEach((url, index) => {
          const malformed = malformedCallbackUrl(url);
          if (malformed) throw badRequest(`body.callbackUrls[${index}]`, `body.callbackUrls[${index}] ${malformed}`);
        });
        // The onRequest check found the service.
        const service = services.get(orgId, vsn)!;
        const problems = limitProblems(triggerParameters, callbackUrls, limits);
        callbackUrls.forEach((url, index) => {
          const refusal = unreachableCallbackUrl(url, guard);
          if (refusal) problems.push(unprocessableEntity(`body.callbackUrls[${index}]`, `Callbacks are not delivered there: ${refusal}`));
        });
        if (callbackUrls.length > 0 && !dependencies.signsCallbacks(orgId)) {
          problems.push(unprocessableEntity('body.callbackUrls', `The organisation ${orgId} has no secret to sign callbacks with`));
        }
        for (const { parameter, message } of service.check(triggerParameters)) {
          problems.push(unprocessableEntity(`body.triggerParameters.${parameter}`, message));
        }
        const [first, ...more] = problems;
        if (first) throw unprocessable([first, ...more]);

        const key = request.headers['idempotency-key'] as string | undefined;
        const reservation = key === undefined ? undefined : { key, owner: ids.idempotencyOwner() };
        if (reservation) {
          const requestHash = executeRequestHash(vsn, triggerParameters, callbackUrls);
          const found = await store.idempotencyKeys.reserveIdempotencyKey({
            orgId,
            ...reservation,
            requestHash,
            now: clock.now(),
            leaseMs: idempotencyLeaseMs,
            retentionMs: dependencies.idempotencyRetentionMs,
          });
          if (found.state !== 'reserved') {
            if (found.requestHash !== requestHash) {
              throw unprocessable([unprocessableEntity(keyScope, 'This Idempotency-Key was used with another request: use a new key for a new request')]);
            }
            if (found.state === 'in_flight') {
              throw conflict(keyScope, 'Request in progress', 'A request with this Idempotency-Key is still being handled');
            }
            reply.header('idempotent-replayed', 'true');
            return found.response;
          }
        }

        let admitted = false;
        try {
          admitted = await queueBound.admit(orgId);
          if (!admitted) {
            throw tooManyRequests(queueFullRetryAfterSeconds, 'Queue full', `The organisation ${orgId} has as many unfinished triggers as it may have`);
          }
          await holdIfAsked(request, reply);
          const triggerUUID = ids.triggerUUID();
          const answer = { message: `Successfully triggered ${vsn}@${orgId}`, triggerUUID };
          await store.createTrigger(
            { triggerUUID, orgId, vsn, triggerParameters, callbackUrls, requestId: request.id, createdAt: clock.now() },
            reservation && { ...reservation, response: answer },
          );
          worker.wake();
          return answer;
        } catch (error) {
          if (admitted) queueBound.withdraw(orgId);
          // Nothing was written: the key is free for a retry.
          if (reservation) {
            await store.idempotencyKeys.releaseIdempotencyKey(orgId, reservation.key, reservation.owner).catch((releaseError: unknown) => {
              request.log.error({ err: releaseError }, 'the Idempotency-Key could not be released; it frees itself after a minute');
            });
          }
          if (error instanceof IdempotencyKeyLost) {
            throw conflict(keyScope, 'Request in progress', 'Another request took this Idempotency-Key over');
          }
          throw error;
        }
      },
    });
  };
}
