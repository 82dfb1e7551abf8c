import type { TriggerOutcome, TriggerProgress } from '@autofacilitate/types';
import { isoTime } from '../time/iso-time';
import type { TriggerResultRecord } from '../storage/trigger-types';

function iso(time: number | undefined): string | undefined {
  return time === undefined ? undefined : isoTime(time);
}

/** The spec's `triggerProgress`: a trigger that has not finished. */
export function triggerProgress(trigger: TriggerResultRecord): TriggerProgress {
  return {
    triggerUUID: trigger.triggerUUID,
    vsn: trigger.vsn,
    status: trigger.status,
    createdAt: isoTime(trigger.createdAt),
    startedAt: iso(trigger.startedAt),
  };
}

/** The spec's `triggerOutcome`: a finished trigger, with its output or its error. */
export function triggerOutcome(trigger: TriggerResultRecord): TriggerOutcome {
  // triggerProgress's fields written out, not spread: this is the hot path of getTriggerResult.
  return {
    triggerUUID: trigger.triggerUUID,
    vsn: trigger.vsn,
    status: trigger.status,
    createdAt: isoTime(trigger.createdAt),
    startedAt: iso(trigger.startedAt),
    output: trigger.output,
    error: trigger.error,
    finishedAt: iso(trigger.finishedAt),
  };
}
