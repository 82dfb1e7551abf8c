import type { TriggerOutcome } from '@autofacilitate/sdk';
import { pretty } from './output';

/** A trigger's outcome for people: the status line, then its output or error. */
export function describeOutcome(outcome: TriggerOutcome): string {
  const lines = [`${outcome.status}  ${outcome.vsn}  ${outcome.triggerUUID}`];
  if (outcome.status === 'succeeded') {
    lines.push(outcome.output === undefined ? '(no output)' : pretty(outcome.output));
  } else if (outcome.status === 'failed' || outcome.status === 'timed_out') {
    const error = outcome.error;
    if (error) lines.push(`error: ${[error.reason, error.message].filter(Boolean).join(': ')}`);
  }
  return lines.join('\n');
}
