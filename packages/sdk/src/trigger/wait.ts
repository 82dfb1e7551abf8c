import { TimeoutError } from '../errors';
import { Deadline } from '../http/deadline';
import { duration } from '../option-checks';
import type { WaitOptions } from '../options';
import type { Clock } from '../time/clock';
import type { TriggerFinished, TriggerRef } from './outcome';
import type { PollPacing } from './poll';

const DEFAULT_MAX_WAIT_MS = 120_000;
const DEFAULT_POLL_INTERVAL_MS = 500;
const DEFAULT_MAX_POLL_INTERVAL_MS = 10_000;

/**
 * Runs a wait under one deadline, `maxWaitMs`, whose timeout names the trigger once it is known,
 * so that a caller who gave up can still fetch the result later.
 */
export async function waitUnderDeadline(
  clock: Clock,
  vsn: string,
  options: WaitOptions,
  ref: () => TriggerRef | undefined,
  wait: (deadline: Deadline, pacing: PollPacing) => Promise<TriggerFinished>,
): Promise<TriggerFinished> {
  const maxWaitMs = duration('maxWaitMs', options.maxWaitMs, DEFAULT_MAX_WAIT_MS);
  const pacing = {
    initialIntervalMs: duration('pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS),
    maxIntervalMs: duration('maxPollIntervalMs', options.maxPollIntervalMs, DEFAULT_MAX_POLL_INTERVAL_MS),
  };
  const deadline = new Deadline(clock, maxWaitMs, options.signal, () => {
    const triggerUUID = ref()?.triggerUUID;
    const what = triggerUUID === undefined ? `executeAndWait(${vsn})` : `Trigger ${triggerUUID} of ${vsn}`;
    const operation = triggerUUID === undefined ? 'executeService' : 'getTriggerResult';
    return new TimeoutError(`${what} did not finish within ${maxWaitMs} ms`, {
      timeoutMs: maxWaitMs,
      triggerUUID,
      operation,
    });
  });
  try {
    return await wait(deadline, pacing);
  } finally {
    deadline.dispose();
  }
}
