import type { TriggerParameter, TriggerResult } from '@autofacilitate/types';
import { apiAuthentication, type ApiAuthenticationDependencies } from '../auth/api-authentication';
import type { AddressGuard } from '../callbacks/address-guard';
import type { RateConfig } from '../config/server-config';
import {
  bodyRequired,
  callbacksUnsigned,
  callbackUrlMalformed,
  callbackUrlUnreachable,
  idempotencyKeyInFlight,
  idempotencyKeyReused,
  idempotencyKeyTakenOver,
  limitUnchecked,
  parameterRefused,
  queueBacklogged,
  queueFull,
  rateLimited,
  serviceNotFound,
  unprocessable,
} from '../errors/catalogue';
import { holdIfAsked, unavailableIfAsked } from '../http/fault-injection';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { triggerBodyParsers } from '../http/trigger-body';
import type { ApiError } from '../errors/server-error';
import type { QueueBound } from '../limits/queue-bound';
import type { RateLimiter } from '../limits/rate-limiter';
import type { ServiceRegistry } from '../services/service-registry';
import { IdempotencyKeyLost } from '../storage/idempotency-types';
import type { Storage } from '../storage/storage';
import type { NewTrigger } from '../storage/trigger-types';
import type { Clock } from '../time/clock';
import type { Ids } from '../random/ids';
import { malformedCallbackUrl, unreachableCallbackUrl } from '../callbacks/callback-url-checks';
import { executeRequestHash } from '../idempotency/execute-request-hash';
import { executeSpans } from '../tracing/execute-span';
import type { SpanStarter } from '../tracing/unrecorded-tracer';

/** What `executeService` needs. */
export interface ExecuteDependencies {
  authentication: ApiAuthenticationDependencies;
  services: ServiceRegistry;
  store: Storage;
  /** Told when a trigger was written, so that it runs at once. */
  worker: { wake(): void };
  /** Told of every trigger written (the admin event stream). */
  created?(trigger: NewTrigger): void;
  clock: Clock;
  ids: Ids;
  /** How fast a client may execute. */
  executeRate(orgId: string, clientId: string): RateConfig;
  rateLimiter: RateLimiter;
  queueBound: QueueBound;
  /** The longest the triggers ahead of a new one may take to drain (`limits.queueWaitSeconds`). */
  queueWaitSeconds: number;
  /** Decides which literal addresses callback URLs may name. */
  guard: AddressGuard;
  /** Whether the organisation has a secret to sign its callbacks with. */
  signsCallbacks(orgId: string): boolean;
  /** How long an `Idempotency-Key` and its answer are kept. */
  idempotencyRetentionMs: number;
  /** Starts each request's server span; the trigger keeps its trace. */
  tracer: SpanStarter;
}

// A key held by a request that died (its process was killed mid-request) is free again after this.
const idempotencyLeaseMs = 60_000;

/**
 * `executeService`: writes the trigger and its job in one transaction and answers with the fresh
 * triggerUUID; a worker runs it. Checks go from the cheapest and least revealing to the most:
 * credentials (401), organisation and service (404) and the client's rate (429) before the body is
 * read, then the body and its limits (413, 415, 400: the spec's schema), then what the
 * configuration and the service need (422), then the `Idempotency-Key` (a replay, 409 or 422) and
 * the organisation's queue (429).
 */
export function executeService(dependencies: ExecuteDependencies): OperationPlugin {
  const { services, store, worker, clock, ids, rateLimiter, queueBound, guard } = dependencies;
  return async (app, { route }) => {
    triggerBodyParsers(app);
    const authenticate = apiAuthentication(dependencies.authentication, route.operationId);
    const spans = executeSpans(dependencies.tracer, route.method as string, route.url);
    app.route<OperationRoute<'executeService'>>({
      ...route,
      onResponse: spans.onResponse,
      onRequestAbort: spans.onRequestAbort,
      onRequest: [
        spans.onRequest,
        authenticate,
        async (request) => {
          const { orgId, vsn } = request.params;
          if (!services.get(orgId, vsn)) throw serviceNotFound(orgId, vsn);
          const { clientId } = request.principal!;
          const rate = dependencies.executeRate(orgId, clientId);
          let waitSeconds: number | undefined;
          try {
            unavailableIfAsked(request);
            waitSeconds = await rateLimiter.take(`${orgId}\n${clientId}`, rate);
          } catch (error) {
            // Fail closed: a trigger the store cannot count could not be written either.
            throw limitUnchecked('execute rate limit', error);
          }
          if (waitSeconds !== undefined) throw rateLimited(waitSeconds, clientId, rate.perSecond, rate.burst);
        },
      ],
      handler: async (request, reply) => {
        const { orgId, vsn } = request.params;
        // Without a Content-Type there is no body to validate: the spec's schema has not seen it.
        const body: TriggerParameter | undefined = request.body;
        if (body === undefined) throw bodyRequired();
        const triggerParameters = body.triggerParameters ?? {};
        const callbackUrls = body.callbackUrls ?? [];
        callbackUrls.forEach((url, index) => {
          const malformed = malformedCallbackUrl(url);
          if (malformed) throw callbackUrlMalformed(index, malformed);
        });
        // The onRequest check found the service.
        const service = services.get(orgId, vsn)!;
        // The limits are the schema's, checked before the handler runs (400); what is left depends on
        // the configuration and on the service.
        const problems: ApiError[] = [];
        callbackUrls.forEach((url, index) => {
          const refusal = unreachableCallbackUrl(url, guard);
          if (refusal) problems.push(callbackUrlUnreachable(index, refusal));
        });
        if (callbackUrls.length > 0 && !dependencies.signsCallbacks(orgId)) {
          problems.push(callbacksUnsigned(orgId));
        }
        for (const { parameter, message } of service.check(triggerParameters)) {
          problems.push(parameterRefused(parameter, message));
        }
        const [first, ...more] = problems;
        if (first) throw unprocessable([first, ...more]);

        const key = request.headers['idempotency-key'];
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
              throw idempotencyKeyReused();
            }
            if (found.state === 'in_flight') {
              throw idempotencyKeyInFlight();
            }
            reply.header('idempotent-replayed', 'true');
            // The store keeps the answer it was given with the key.
            return found.response as TriggerResult;
          }
        }

        let admitted = false;
        try {
          const admission = await queueBound.admit(orgId).catch((error: unknown) => {
            throw limitUnchecked('queue bound', error);
          });
          if (admission !== true) {
            const { reason, retryAfterSeconds, waitSeconds } = admission;
            throw reason === 'full'
              ? queueFull(retryAfterSeconds, orgId)
              : queueBacklogged(retryAfterSeconds, orgId, waitSeconds!, dependencies.queueWaitSeconds);
          }
          admitted = true;
          await holdIfAsked(request, reply);
          const triggerUUID = ids.triggerUUID();
          const answer: TriggerResult = { message: `Successfully triggered ${vsn}@${orgId}`, triggerUUID };
          const trace = spans.traceOf(request, triggerUUID);
          const trigger = {
            triggerUUID,
            orgId,
            vsn,
            triggerParameters,
            callbackUrls,
            requestId: request.id,
            createdAt: clock.now(),
            ...(trace && { trace }),
          };
          await store.createTrigger(trigger, reservation && { ...reservation, response: answer });
          worker.wake();
          dependencies.created?.(trigger);
          return answer;
        } catch (error) {
          if (admitted) queueBound.withdraw(orgId);
          // Nothing was written: the key is free for a retry.
          if (reservation) {
            await store.idempotencyKeys
              .releaseIdempotencyKey(orgId, reservation.key, reservation.owner)
              .catch((releaseError: unknown) => {
                request.log.error(
                  { err: releaseError },
                  'the Idempotency-Key could not be released; it frees itself after a minute',
                );
              });
          }
          if (error instanceof IdempotencyKeyLost) {
            throw idempotencyKeyTakenOver();
          }
          throw error;
        }
      },
    });
  };
}
