import { createClient } from '../client';
import type { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { note, printResult } from '../output';
import { parseParameters } from '../parse-parameters';
import { UsageError } from '../usage-error';
import { waitForOutcome } from '../wait-for-outcome';

export interface ExecuteCommandOptions {
  param: string[];
  callback: string[];
  xml?: boolean;
  idempotencyKey?: string;
  wait?: boolean;
  timeout?: string;
}

/** What people are told when an answer was an idempotent replay. */
const REPLAYED =
  'Idempotent replay: an earlier request with this --idempotency-key started this trigger; nothing new was started';

/**
 * `execute <vsn>`: starts the service. Prints the triggerUUID alone on stdout (the server's message
 * goes to stderr), or with `--wait` polls until the trigger finishes and prints its outcome.
 */
export async function execute(context: CommandContext, vsn: string, options: ExecuteCommandOptions): Promise<ExitCode> {
  const triggerParameters = parseParameters(options.param);
  if (options.timeout !== undefined && !options.wait) throw new UsageError('--timeout goes with --wait');
  const client = createClient(context.settings());
  const common = {
    signal: context.signal,
    format: options.xml ? ('xml' as const) : ('json' as const),
    ...(options.callback.length > 0 && { callbackUrls: options.callback }),
    ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
  };

  if (!options.wait) {
    const { triggerUUID, message, replayed } = await client.execute(vsn, triggerParameters, common);
    if (replayed) note(context.output, REPLAYED);
    if (!context.output.json && message) note(context.output, message);
    // With --json, what the API answered (whether it was a replay is a header).
    printResult(context.output, { triggerUUID, ...(message !== undefined && { message }) }, triggerUUID);
    return ExitCode.ok;
  }

  return waitForOutcome(context, vsn, options.timeout, (waiting) =>
    client.executeAndWait(vsn, triggerParameters, {
      ...common,
      maxWaitMs: waiting.maxWaitMs,
      onProgress: waiting.onProgress,
      onStarted: ({ triggerUUID, message, replayed }) => {
        if (replayed) note(context.output, REPLAYED);
        waiting.started(triggerUUID, `${message ?? `Started ${vsn}`}: ${triggerUUID}`);
      },
    }),
  );
}
