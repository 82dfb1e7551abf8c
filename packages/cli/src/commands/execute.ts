import { createClient } from '../client';
import type { CommandContext } from '../context';
import { describeOutcome } from '../describe-outcome';
import { ExitCode } from '../exit-codes';
import { note, printResult } from '../output';
import { parseSeconds } from '../parse-number';
import { parseParameters } from '../parse-parameters';
import { startSpinner } from '../spinner';
import { UsageError } from '../usage-error';

export interface ExecuteCommandOptions {
  param: string[];
  callback: string[];
  xml?: boolean;
  idempotencyKey?: string;
  wait?: boolean;
  timeout?: string;
}

/**
 * `execute <vsn>`: starts the service. Prints the triggerUUID alone on stdout (the server's message
 * goes to stderr), or with `--wait` polls until the trigger finishes and prints its outcome.
 */
export async function execute(context: CommandContext, vsn: string, options: ExecuteCommandOptions): Promise<ExitCode> {
  const triggerParameters = parseParameters(options.param);
  if (options.timeout !== undefined && !options.wait) throw new UsageError('--timeout goes with --wait');
  const timeoutMs = options.timeout === undefined ? undefined : parseSeconds('--timeout', options.timeout);
  const client = createClient(context.settings());
  const common = {
    signal: context.signal,
    format: options.xml ? ('xml' as const) : ('json' as const),
    ...(options.callback.length > 0 && { callbackUrls: options.callback }),
    ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
  };

  if (!options.wait) {
    const result = await client.execute(vsn, triggerParameters, common);
    if (!context.output.json && result.message) note(context.output, result.message);
    printResult(context.output, result, result.triggerUUID);
    return ExitCode.ok;
  }

  const spinner = context.output.json ? undefined : startSpinner(context.output.stderr, `${vsn}`);
  try {
    const outcome = await client.executeAndWait(vsn, triggerParameters, {
      ...common,
      ...(timeoutMs && { timeoutMs, maxWaitMs: timeoutMs }),
      onProgress: (progress) => spinner?.update(`${progress.status} ${progress.triggerUUID}`),
    });
    spinner?.stop();
    printResult(context.output, outcome, describeOutcome(outcome));
    return outcome.status === 'succeeded' ? ExitCode.ok : ExitCode.triggerFailed;
  } finally {
    spinner?.stop();
  }
}
