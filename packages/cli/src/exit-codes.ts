/**
 * What the process exit status means, so scripts can branch on it. Documented in `--help` and
 * the README; never renumber one, only add.
 */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** Anything else: the server failed, the network failed, an unexpected error. */
  failure: 1,
  /** The command line or the settings are wrong: unknown flag, malformed `-p`, missing credentials. */
  usage: 2,
  /** The credentials were refused (token service or API). */
  auth: 3,
  /** The organisation, service or trigger does not exist. */
  notFound: 4,
  /** The request was refused as invalid (400, 413, 415, 422). */
  validation: 5,
  /** The deadline passed (`--timeout`). */
  timeout: 6,
  /** The trigger finished, but failed or timed out. */
  triggerFailed: 7,
  /** The server asked to slow down (429) and retries ran out. */
  rateLimited: 8,
  /** Ctrl-C stopped the command (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The table printed at the end of `--help`. */
export const exitCodeHelp = `Exit codes:
  0    done
  1    failure (server error, network error, unexpected)
  2    usage (unknown flag, malformed -p, missing credentials or settings)
  3    credentials refused
  4    organisation, service or trigger not found
  5    request refused as invalid (400, 413, 415, 422)
  6    deadline passed (--timeout); a wait says the command that resumes it
  7    trigger finished as failed or timed_out
  8    rate limited (429) after retries
  130  interrupted (Ctrl-C); a wait says the command that resumes it`;
