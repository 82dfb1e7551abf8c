import { AutoFacilitate, AutoFacilitateAdmin, TokenClient } from '@autofacilitate/sdk';
import { requireSettings, type ResolvedSettings, type SettingName } from './settings';
import { UsageError } from './usage-error';

/** The SDK client for the resolved settings; a setting the SDK refuses is a usage error. */
export function createClient(resolved: ResolvedSettings): AutoFacilitate {
  return construct(() => new AutoFacilitate(located(resolved, ['orgId', 'clientId', 'clientSecret', 'apiKey'])));
}

/** A client for tokens alone: the token service takes no organisation and no API key. */
export function createTokenClient(resolved: ResolvedSettings): TokenClient {
  return construct(() => new TokenClient(located(resolved, ['clientId', 'clientSecret'])));
}

/** The admin client: the self-hosted server's admin operations, with an admin key. */
export function createAdminClient(resolved: ResolvedSettings): AutoFacilitateAdmin {
  const { baseUrl, orgId, adminKey } = requireSettings(resolved, ['baseUrl', 'orgId', 'adminKey']);
  return construct(() => new AutoFacilitateAdmin({ baseUrl, orgId, adminKey }));
}

/** The settings `names` need, and where the API is, each required. */
function located<N extends SettingName>(resolved: ResolvedSettings, names: readonly N[]) {
  const settings = requireSettings(resolved, names);
  if (settings.baseUrl === undefined && settings.region === undefined && settings.tokenUrl === undefined) {
    throw new UsageError(
      'say where the API is: --base-url (mock or self-hosted server), or --region for Alvaria Cloud (or AUTOFACILITATE_BASE_URL / AUTOFACILITATE_REGION, or the profile)',
    );
  }
  return settings;
}

function construct<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}
