import { TimeoutError, type TriggerFinished, type TriggerPending } from '@autofacilitate/sdk';
import type { CommandContext } from './context';
import { ExitCode } from './exit-codes';
import { printOutcome } from './print-outcome';
import { parseSeconds } from './parse-number';
import { startSpinner } from './spinner';
import { StoppedWaiting, resumeCommand } from './stopped-waiting';

/** How long `--wait` waits without `--timeout`, in seconds; said in `--help`. */
export const DEFAULT_WAIT_SECONDS = 120;

/** What a wait is handed: its deadline, the Ctrl-C signal, and where to report. */
export interface Waiting {
  maxWaitMs: number;
  signal: AbortSignal;
  onProgress(progress: TriggerPending): void;
  /** To be called once the trigger is known (execute answered); `note` is shown above the spinner. */
  started(triggerUUID: string, note: string): void;
}

/**
 * Runs a wait for a trigger's outcome with a spinner on a terminal, then prints the outcome. A wait
 * cut short (Ctrl-C, or `--timeout`) once the trigger is known ends with the command that resumes it.
 */
export async function waitForOutcome(
  context: CommandContext,
  vsn: string,
  timeout: string | undefined,
  wait: (waiting: Waiting) => Promise<TriggerFinished>,
  known?: string,
): Promise<ExitCode> {
  const seconds = timeout === undefined ? DEFAULT_WAIT_SECONDS : parseSeconds('--timeout', timeout) / 1000;
  const { output } = context;
  const spinner = output.json ? undefined : startSpinner(output.stderr, vsn);
  let triggerUUID = known;
  try {
    const outcome = await wait({
      maxWaitMs: seconds * 1000,
      signal: context.signal,
      onProgress: (progress) => spinner?.update(`${progress.status} ${progress.triggerUUID}`),
      started: (uuid, note) => {
        triggerUUID = uuid;
        spinner?.print(`${note}; waiting up to ${seconds} s (Ctrl-C stops the wait, not the trigger)`);
      },
    });
    spinner?.stop();
    printOutcome(output, outcome);
    return outcome.status === 'succeeded' ? ExitCode.ok : ExitCode.triggerFailed;
  } catch (error) {
    spinner?.stop();
    if (triggerUUID !== undefined && (context.signal.aborted || error instanceof TimeoutError)) {
      const why = context.signal.aborted ? 'Stopped waiting (Ctrl-C)' : `Not finished within ${seconds} s`;
      const message = `${why}; the trigger ${triggerUUID} of ${vsn} goes on. Wait for it again with:`;
      throw new StoppedWaiting(
        message,
        context.signal.aborted ? context.signal.reason : error,
        vsn,
        triggerUUID,
        resumeCommand(context.options, vsn, triggerUUID),
      );
    }
    throw error;
  }
}
