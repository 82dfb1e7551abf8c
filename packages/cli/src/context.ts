import type { Output } from './output';
import { resolveSettings, type ResolvedSettings, type Settings } from './settings';

/** What every command gets: where to write, the settings, and a signal that Ctrl-C aborts. */
export interface CommandContext {
  output: Output;
  /** The global options as given on the command line (to repeat them in a command to run next). */
  options: GlobalOptions;
  /** The settings; `forWriting`: a profile that `configure` is about to write need not exist yet. */
  settings(options?: { forWriting?: boolean }): ResolvedSettings;
  /** Where prompts are read from; a terminal makes `configure` ask. */
  stdin?: NodeJS.ReadStream;
  signal: AbortSignal;
}

/** The global options, as commander parses them. */
export interface GlobalOptions extends Settings {
  profile?: string;
  profileFile?: string;
  json?: boolean;
  debug?: boolean;
}

export function createContext(
  options: GlobalOptions,
  io: Pick<Output, 'stdout' | 'stderr'> & { stdin?: NodeJS.ReadStream },
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): CommandContext {
  return {
    options,
    output: { json: options.json === true, debug: options.debug === true, stdout: io.stdout, stderr: io.stderr },
    // Settings are read only by the commands that call the API, so `mock --help` needs no profile.
    settings: (how) => resolveSettings({ flags: options, env }, how),
    signal,
    ...(io.stdin !== undefined && { stdin: io.stdin }),
  };
}
