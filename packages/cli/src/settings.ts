import { readProfile } from './profile-file';
import { UsageError } from './usage-error';

/** Everything needed to reach the API, whichever of flags, environment or profile said it. */
export interface Settings {
  orgId?: string;
  baseUrl?: string;
  region?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  apiKey?: string;
  /** The admin key of the self-hosted server's admin commands. */
  adminKey?: string;
}

export type SettingName = keyof Settings;

/** Each setting's flag, environment variable and profile key, in the order they win. */
export const SETTINGS: ReadonlyArray<{ name: SettingName; flag: string; env: string; description: string }> = [
  { name: 'orgId', flag: '--org-id', env: 'AUTOFACILITATE_ORG_ID', description: 'organisation (orgId)' },
  {
    name: 'baseUrl',
    flag: '--base-url',
    env: 'AUTOFACILITATE_BASE_URL',
    description:
      'API base URL of the mock or a self-hosted server, which serves tokens too (without it: Alvaria Cloud, https://{orgId}.via.aspect-cloud.net, which needs --region)',
  },
  {
    name: 'region',
    flag: '--region',
    env: 'AUTOFACILITATE_REGION',
    description: "Alvaria Cloud region: names the region's token service",
  },
  {
    name: 'tokenUrl',
    flag: '--token-url',
    env: 'AUTOFACILITATE_TOKEN_URL',
    description: 'OAuth2 token URL (default: from --region, or {base URL}/tokenservice/oauth2/access_token)',
  },
  { name: 'clientId', flag: '--client-id', env: 'AUTOFACILITATE_CLIENT_ID', description: 'OAuth2 client id' },
  {
    name: 'clientSecret',
    flag: '--client-secret',
    env: 'AUTOFACILITATE_CLIENT_SECRET',
    description: 'OAuth2 client secret',
  },
  { name: 'apiKey', flag: '--api-key', env: 'AUTOFACILITATE_API_KEY', description: 'x-api-key value' },
  {
    name: 'adminKey',
    flag: '--admin-key',
    env: 'AUTOFACILITATE_ADMIN_KEY',
    description: "admin key of a self-hosted server's organisation, for the admin commands",
  },
];

/** Where the settings come from. */
export interface SettingsSources {
  flags: Settings & { profile?: string; profileFile?: string };
  env: NodeJS.ProcessEnv;
}

/** A setting with the place it came from, so a missing one can be named precisely. */
export interface ResolvedSettings {
  settings: Settings;
  profileName: string;
  profilePath: string;
}

/**
 * Resolves every setting: a flag wins over the environment, which wins over the profile file. A
 * profile named on the command line must exist, unless it is `forWriting` (`configure` makes it).
 */
export function resolveSettings({ flags, env }: SettingsSources, { forWriting = false } = {}): ResolvedSettings {
  const profileName = flags.profile ?? env.AUTOFACILITATE_PROFILE ?? 'default';
  const explicitProfile = !forWriting && (flags.profile !== undefined || env.AUTOFACILITATE_PROFILE !== undefined);
  const { path: profilePath, profile } = readProfile({
    name: profileName,
    path: flags.profileFile ?? env.AUTOFACILITATE_PROFILE_FILE,
    env,
    required: explicitProfile,
    mayBeMissing: forWriting,
  });
  const settings: Settings = {};
  for (const { name, env: variable } of SETTINGS) {
    const value = flags[name] ?? nonEmpty(env[variable]) ?? profile[name];
    if (value !== undefined) settings[name] = value;
  }
  return { settings, profileName, profilePath };
}

/** Fails with one line naming every way to give the settings that are missing. */
export function requireSettings<N extends SettingName>(
  resolved: ResolvedSettings,
  names: readonly N[],
): Required<Pick<Settings, N>> & Settings {
  const missing = SETTINGS.filter(
    ({ name }) => (names as readonly SettingName[]).includes(name) && resolved.settings[name] === undefined,
  );
  if (missing.length > 0) {
    const how = missing.map(
      ({ name, flag, env }) => `${flag} (or ${env}, or "${name}" in profile "${resolved.profileName}")`,
    );
    throw new UsageError(`missing ${how.join(', ')}; profile file: ${resolved.profilePath}`);
  }
  return resolved.settings as Required<Pick<Settings, N>> & Settings;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
