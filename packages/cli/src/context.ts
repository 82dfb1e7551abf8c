import type { Output } from './output';
import { resolveSettings, type ResolvedSettings, type Settings } from './settings';

/** What every command gets: where to write, the settings, and a signal that Ctrl-C aborts. */
export interface CommandContext {
  output: Output;
  settings(): ResolvedSettings;
  signal: AbortSignal;
}

/** The global options, as commander parses them. */
export interface GlobalOptions extends Settings {
  profile?: string;
  profileFile?: string;
  json?: boolean;
  debug?: boolean;
}

export function createContext(options: GlobalOptions, io: Pick<Output, 'stdout' | 'stderr'>, env: NodeJS.ProcessEnv, signal: AbortSignal): CommandContext {
  return {
    output: { json: options.json === true, debug: options.debug === true, ...io },
    // Settings are read only by the commands that call the API, so `mock --help` needs no profile.
    settings: () => resolveSettings({ flags: options, env }),
    signal,
  };
}
