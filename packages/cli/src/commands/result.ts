import { createClient } from '../client';
import type { CommandContext } from '../context';
import { describeOutcome } from '../describe-outcome';
import { ExitCode } from '../exit-codes';
import { printResult } from '../output';

/** `result <vsn> <triggerUUID>`: prints where the trigger is, or its outcome once finished. */
export async function result(context: CommandContext, vsn: string, triggerUUID: string): Promise<ExitCode> {
  const client = createClient(context.settings());
  const outcome = await client.getResult(vsn, triggerUUID, { signal: context.signal });
  printResult(context.output, outcome, describeOutcome(outcome));
  return outcome.status === 'failed' || outcome.status === 'timed_out' ? ExitCode.triggerFailed : ExitCode.ok;
}
