import { SETTINGS, type SettingName } from './settings';
import type { GlobalOptions } from './context';

/** The reason Ctrl-C aborts a command with: the command stops, and the process ends with 130. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';

  constructor() {
    super('interrupted (Ctrl-C)');
  }
}

/**
 * A wait that ended before the trigger did (Ctrl-C, or `--timeout`): the trigger goes on, and
 * `resume` is the command that waits for it again.
 */
export class StoppedWaiting extends Error {
  override readonly name = 'StoppedWaiting';

  constructor(
    message: string,
    /** Why the wait ended: an {@link Interrupted}, or the SDK's `TimeoutError`. */
    override readonly cause: unknown,
    readonly vsn: string,
    readonly triggerUUID: string,
    /** The command that waits for the trigger again. */
    readonly resume: string,
  ) {
    super(message, { cause });
  }
}

const SECRETS: readonly SettingName[] = ['clientSecret', 'apiKey', 'adminKey'];

/**
 * The command that waits for a trigger again, with the settings given as flags repeated (the
 * environment and the profile still apply). Secrets are never printed: given as flags, the
 * command says to give them again.
 */
export function resumeCommand(options: GlobalOptions, vsn: string, triggerUUID: string): string {
  const words = ['autofacilitate'];
  for (const { name, flag } of SETTINGS) {
    const value = options[name];
    if (value !== undefined) words.push(flag, SECRETS.includes(name) ? '…' : value);
  }
  if (options.profile !== undefined) words.push('--profile', options.profile);
  if (options.profileFile !== undefined) words.push('--profile-file', options.profileFile);
  if (options.json) words.push('--json');
  words.push('result', vsn, triggerUUID, '--wait');
  return words.map(quote).join(' ');
}

/** A word as a POSIX shell reads it back. */
function quote(word: string): string {
  return /^[\w@%+=:,./…-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
