import type { TriggerCallback } from '@autofacilitate/types';
import type { TriggerRecord } from '../storage/trigger-types';
import { triggerOutcome } from '../triggers/trigger-outcome';

/**
 * The body of a finished trigger's callback, the spec's `triggerCallback`: a Standard Webhooks
 * envelope whose `data` is the trigger exactly as `getTriggerResult` describes it. Made from the
 * stored trigger at every attempt, the same bytes each time.
 */
export function callbackPayload(trigger: TriggerRecord): string {
  const payload: TriggerCallback = {
    type: 'trigger.finished',
    timestamp: new Date(trigger.finishedAt ?? trigger.createdAt).toISOString(),
    data: triggerOutcome(trigger),
  };
  return JSON.stringify(payload);
}
