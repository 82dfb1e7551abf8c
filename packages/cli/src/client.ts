import { AutoFacilitate } from '@autofacilitate/sdk';
import { requireSettings, type ResolvedSettings } from './settings';
import { UsageError } from './usage-error';

/** The SDK client for the resolved settings; a setting the SDK refuses is a usage error. */
export function createClient(resolved: ResolvedSettings): AutoFacilitate {
  const settings = requireSettings(resolved, ['orgId', 'clientId', 'clientSecret', 'apiKey']);
  if (settings.baseUrl === undefined && settings.region === undefined && settings.tokenUrl === undefined) {
    throw new UsageError(
      'say where the API is: --base-url (mock or self-hosted server), or --region for Alvaria Cloud (or AUTOFACILITATE_BASE_URL / AUTOFACILITATE_REGION, or the profile)',
    );
  }
  try {
    return new AutoFacilitate(settings);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}
