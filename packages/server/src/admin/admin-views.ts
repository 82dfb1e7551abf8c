import type {
  AdminDelivery,
  AdminDeliveryAttempt,
  AdminTimelineEntry,
  AdminTrigger,
  AdminTriggerSummary,
} from '@autofacilitate/types';
import type { DeliveryAttempt, DeliveryHistory } from '../storage/delivery-types';
import type { TriggerRecord } from '../storage/trigger-types';

// The wire shapes of the admin operations, from the store's records: times as ISO dates, and
// absent values left out rather than sent as null.

const iso = (time: number) => new Date(time).toISOString();
const isoOrAbsent = (time: number | undefined) => (time === undefined ? undefined : iso(time));

/** The spec's `adminTriggerSummary`. */
export function adminTriggerSummary(trigger: TriggerRecord): AdminTriggerSummary {
  return {
    triggerUUID: trigger.triggerUUID,
    vsn: trigger.vsn,
    status: trigger.status,
    createdAt: iso(trigger.createdAt),
    startedAt: isoOrAbsent(trigger.startedAt),
    finishedAt: isoOrAbsent(trigger.finishedAt),
    attempts: trigger.attempts,
  };
}

/** The spec's `adminDeliveryAttempt`. */
export function adminDeliveryAttempt(attempt: DeliveryAttempt): AdminDeliveryAttempt {
  return {
    attempt: attempt.attempt,
    startedAt: iso(attempt.startedAt),
    durationMs: attempt.durationMs,
    statusCode: attempt.statusCode,
    error: attempt.error,
    retryAt: isoOrAbsent(attempt.retryAt),
  };
}

/** The spec's `adminDelivery`. */
export function adminDelivery(delivery: DeliveryHistory): AdminDelivery {
  return {
    deliveryId: delivery.deliveryId,
    webhookId: delivery.webhookId,
    url: delivery.url,
    status: delivery.status,
    createdAt: iso(delivery.createdAt),
    nextAttemptAt: isoOrAbsent(delivery.nextAttemptAt),
    finishedAt: isoOrAbsent(delivery.finishedAt),
    attempts: delivery.history.map(adminDeliveryAttempt),
  };
}

/** What happened to a trigger, in order: its states, then each callback attempt. */
function timeline(trigger: TriggerRecord, deliveries: DeliveryHistory[]): AdminTimelineEntry[] {
  const entries: { time: number; entry: AdminTimelineEntry }[] = [
    { time: trigger.createdAt, entry: { at: iso(trigger.createdAt), event: 'queued' } },
  ];
  if (trigger.startedAt !== undefined) {
    entries.push({ time: trigger.startedAt, entry: { at: iso(trigger.startedAt), event: 'running' } });
  }
  if (trigger.finishedAt !== undefined && trigger.status !== 'queued' && trigger.status !== 'running') {
    entries.push({ time: trigger.finishedAt, entry: { at: iso(trigger.finishedAt), event: trigger.status } });
  }
  for (const delivery of deliveries) {
    for (const attempt of delivery.history) {
      entries.push({
        time: attempt.startedAt,
        entry: {
          at: iso(attempt.startedAt),
          event: 'callback_attempt',
          deliveryId: delivery.deliveryId,
          attempt: attempt.attempt,
          statusCode: attempt.statusCode,
          error: attempt.error,
        },
      });
    }
  }
  // A stable sort: moments at the same millisecond keep the order they were listed in.
  return entries.sort((a, b) => a.time - b.time).map(({ entry }) => entry);
}

/** The spec's `adminTrigger`: everything the server knows of a trigger. */
export function adminTrigger(trigger: TriggerRecord, deliveries: DeliveryHistory[]): AdminTrigger {
  return {
    ...adminTriggerSummary(trigger),
    triggerParameters: trigger.triggerParameters,
    callbackUrls: trigger.callbackUrls,
    output: trigger.output,
    error: trigger.error,
    requestId: trigger.requestId,
    timeline: timeline(trigger, deliveries),
    deliveries: deliveries.map(adminDelivery),
  };
}
