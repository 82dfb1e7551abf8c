import { createClient } from '../client';
import type { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { printOutcome } from '../print-outcome';
import { UsageError } from '../usage-error';
import { waitForOutcome } from '../wait-for-outcome';

export interface ResultOptions {
  wait?: boolean;
  timeout?: string;
}

/**
 * `result <vsn> <triggerUUID>`: prints where the trigger is, or its outcome once finished. With
 * `--wait`, polls until it has finished, as `execute --wait` does after starting it.
 */
export async function result(
  context: CommandContext,
  vsn: string,
  triggerUUID: string,
  options: ResultOptions,
): Promise<ExitCode> {
  if (options.timeout !== undefined && !options.wait) throw new UsageError('--timeout goes with --wait');
  const client = createClient(context.settings());
  if (options.wait) {
    return waitForOutcome(
      context,
      vsn,
      options.timeout,
      (waiting) => {
        waiting.started(triggerUUID, `Trigger ${triggerUUID} of ${vsn}`);
        return client.waitForResult(vsn, triggerUUID, {
          signal: waiting.signal,
          maxWaitMs: waiting.maxWaitMs,
          onProgress: waiting.onProgress,
        });
      },
      triggerUUID,
    );
  }
  const outcome = await client.getResult(vsn, triggerUUID, { signal: context.signal });
  printOutcome(context.output, outcome);
  return outcome.status === 'failed' || outcome.status === 'timed_out' ? ExitCode.triggerFailed : ExitCode.ok;
}
