import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Settings, SettingName } from './settings';
import { UsageError } from './usage-error';

const KEYS: readonly SettingName[] = ['orgId', 'baseUrl', 'region', 'tokenUrl', 'clientId', 'clientSecret', 'apiKey'];

/**
 * The profile file: JSON, one object per profile name, each with any of the settings, e.g.
 * `{ "default": { "orgId": "acme", "clientId": "…", "clientSecret": "…", "apiKey": "…" } }`.
 * It lives at `$XDG_CONFIG_HOME/autofacilitate/profiles.json` (`~/.config/…` without XDG).
 */
export function defaultProfilePath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autofacilitate', 'profiles.json');
}

/**
 * Reads one profile. A missing file is no error (profiles are optional) unless a profile was asked
 * for by name; a malformed file, an unknown profile or an unknown key is, naming what is wrong.
 */
export function readProfile(options: {
  name: string;
  path: string | undefined;
  env: NodeJS.ProcessEnv;
  required: boolean;
  mayBeMissing?: boolean;
}): {
  path: string;
  profile: Settings;
} {
  const path = options.path ?? defaultProfilePath(options.env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' &&
      !options.required &&
      (options.path === undefined || options.mayBeMissing)
    ) {
      return { path, profile: {} };
    }
    throw new UsageError(`cannot read profile file ${path}: ${(error as Error).message}`);
  }

  let profiles: unknown;
  try {
    profiles = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`profile file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(profiles)) throw new UsageError(`profile file ${path} must hold an object of profiles`);

  const profile = profiles[options.name];
  if (profile === undefined) {
    if (options.required)
      throw new UsageError(
        `profile "${options.name}" is not in ${path} (it has: ${Object.keys(profiles).join(', ') || 'none'})`,
      );
    return { path, profile: {} };
  }
  if (!isObject(profile)) throw new UsageError(`profile "${options.name}" in ${path} must be an object`);
  for (const [key, value] of Object.entries(profile)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new UsageError(`profile "${options.name}" in ${path}: unknown key "${key}" (known: ${KEYS.join(', ')})`);
    }
    if (typeof value !== 'string' || value === '') {
      throw new UsageError(`profile "${options.name}" in ${path}: "${key}" must be a non-empty string`);
    }
  }
  return { path, profile: profile as Settings };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes one profile into the profile file, keeping the others. The file holds secrets, so it is
 * readable by its owner only (mode 0600, in a folder of mode 0700 when the folder is new), and
 * written whole to a temporary file first, so that a failure never leaves half a file.
 */
export function writeProfile(path: string, name: string, profile: Settings): void {
  let profiles: Record<string, unknown> = {};
  try {
    profiles = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new UsageError(`cannot update profile file ${path}: ${(error as Error).message}`);
  }
  if (!isObject(profiles)) throw new UsageError(`profile file ${path} must hold an object of profiles`);
  const kept = Object.fromEntries(KEYS.filter((key) => profile[key] !== undefined).map((key) => [key, profile[key]]));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ ...profiles, [name]: kept }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
