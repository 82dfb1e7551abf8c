import {
  AuthError,
  AutoFacilitateError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  type ErrorDetail,
} from '@autofacilitate/sdk';
import { ExitCode } from './exit-codes';
import { type Output } from './output';
import { Interrupted, StoppedWaiting } from './stopped-waiting';
import { UsageError } from './usage-error';

/** The exit status an error ends the process with. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof StoppedWaiting) return exitCodeOf(error.cause);
  if (error instanceof Interrupted) return ExitCode.interrupted;
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof AuthError) return ExitCode.auth;
  if (error instanceof NotFoundError) return ExitCode.notFound;
  if (error instanceof ValidationError) return ExitCode.validation;
  if (error instanceof TimeoutError) return ExitCode.timeout;
  if (error instanceof RateLimitError) return ExitCode.rateLimited;
  return ExitCode.failure;
}

/**
 * Reports an error as one readable line (the server's detail, as the SDK words it), the problems
 * one per line when the server listed several, and the command that resumes a wait cut short; the
 * stack only with `--debug`. With `--json`, stdout also gets the error as JSON so scripts can read it.
 */
export function reportError(output: Output, error: unknown): ExitCode {
  const code = exitCodeOf(error);
  const interrupted =
    error instanceof StoppedWaiting ? error.cause instanceof Interrupted : error instanceof Interrupted;
  const lines = [interrupted ? headline(error) : `error: ${headline(error)}`];
  if (error instanceof AutoFacilitateError && error.errors.length > 1) lines.push(...error.errors.map(describeDetail));
  if (error instanceof StoppedWaiting) lines.push(`  ${error.resume}`);
  if (output.debug && error instanceof Error) {
    lines.push(error.stack ?? String(error));
    if (error.cause !== undefined)
      lines.push(
        `cause: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}`,
      );
  }
  output.stderr.write(`${lines.join('\n')}\n`);
  if (output.json) output.stdout.write(`${JSON.stringify({ error: { ...asJson(error), exitCode: code } }, null, 2)}\n`);
  return code;
}

/** An error as scripts read it with `--json`. */
export function asJson(error: unknown): Record<string, unknown> {
  if (error instanceof AutoFacilitateError) return error.toJSON();
  if (error instanceof StoppedWaiting) {
    return {
      name: error.name,
      message: error.message,
      vsn: error.vsn,
      triggerUUID: error.triggerUUID,
      resume: error.resume,
    };
  }
  return { name: error instanceof Error ? error.name : 'Error', message: headline(error) };
}

function describeDetail(detail: ErrorDetail): string {
  return `  - ${[detail.scope && `[${detail.scope}]`, detail.reason && `${detail.reason}:`, detail.message].filter(Boolean).join(' ')}`;
}

function headline(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!(error instanceof AutoFacilitateError)) return error.message;
  // Several problems are listed below the headline, one per line.
  const message = error.errors.length > 1 ? (error.responseMessage ?? error.message) : error.message;
  const facts = [
    error.status !== undefined && `status ${error.status}`,
    error.requestId && `request id ${error.requestId}`,
  ].filter(Boolean);
  return facts.length > 0 ? `${message} (${facts.join(', ')})` : message;
}
