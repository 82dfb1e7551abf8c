import type { components } from '@autofacilitate/types';
import type { OrganisationConfig } from '../config/server-config';
import type { AdminSession } from './admin-sessions';

/** A session as the spec's `adminSession` shows it: whose, which organisations, until when. */
export function adminSessionView(
  { admin, expiresAt }: AdminSession,
  organisations: Record<string, OrganisationConfig>,
): components['schemas']['adminSession'] {
  return {
    name: admin.name,
    ...(admin.orgId === undefined && { operator: true }),
    organisations: admin.orgId === undefined ? Object.keys(organisations) : [admin.orgId],
    expiresAt: new Date(expiresAt).toISOString(),
  };
}
