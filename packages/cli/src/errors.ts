import {
  AuthError,
  AutoFacilitateError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '@autofacilitate/sdk';
import { ExitCode } from './exit-codes';
import { type Output } from './output';
import { UsageError } from './usage-error';

/** The exit status an error ends the process with. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof AuthError) return ExitCode.auth;
  if (error instanceof NotFoundError) return ExitCode.notFound;
  if (error instanceof ValidationError) return ExitCode.validation;
  if (error instanceof TimeoutError) return ExitCode.timeout;
  if (error instanceof RateLimitError) return ExitCode.rateLimited;
  return ExitCode.failure;
}

/**
 * Reports an error as one readable line, then the server's `errors[]` one per line; the stack only
 * with `--debug`. With `--json`, stdout also gets the error as JSON so scripts can read it.
 */
export function reportError(output: Output, error: unknown): ExitCode {
  const code = exitCodeOf(error);
  const lines = [`error: ${headline(error)}`];
  if (error instanceof AutoFacilitateError) {
    for (const detail of error.errors) {
      lines.push(`  - ${[detail.scope && `[${detail.scope}]`, detail.reason && `${detail.reason}:`, detail.message].filter(Boolean).join(' ')}`);
    }
  }
  if (output.debug && error instanceof Error) {
    lines.push(error.stack ?? String(error));
    if (error.cause !== undefined) lines.push(`cause: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}`);
  }
  output.stderr.write(`${lines.join('\n')}\n`);
  if (output.json) {
    const body = error instanceof AutoFacilitateError ? error.toJSON() : { name: error instanceof Error ? error.name : 'Error', message: headline(error) };
    output.stdout.write(`${JSON.stringify({ error: { ...body, exitCode: code } }, null, 2)}\n`);
  }
  return code;
}

function headline(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!(error instanceof AutoFacilitateError)) return error.message;
  const facts = [error.status !== undefined && `status ${error.status}`, error.requestId && `request id ${error.requestId}`].filter(Boolean);
  return facts.length > 0 ? `${error.message} (${facts.join(', ')})` : error.message;
}
