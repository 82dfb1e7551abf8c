/**
 * Secrets may come from the environment instead of the file, so that a file can be committed
 * and the secrets kept by the platform. The variable names are derived from the ids.
 */

function envName(...parts: string[]): string {
  return parts.map((part) => part.toUpperCase().replace(/[^A-Z0-9]/g, '_')).join('_');
}

/** The variable that holds a client's secret, in plain: `AUTOFACILITATE_CLIENT_SECRET_<CLIENT ID>`. */
export function clientSecretVariable(clientId: string): string {
  return envName('AUTOFACILITATE_CLIENT_SECRET', clientId);
}

/** The variable that holds an API key, in plain: `AUTOFACILITATE_API_KEY_<ORG ID>_<KEY NAME>`. */
export function apiKeyVariable(orgId: string, name: string): string {
  return envName('AUTOFACILITATE_API_KEY', orgId, name);
}

/** The variable that holds an admin key, in plain: `AUTOFACILITATE_ADMIN_KEY_<ORG ID>_<KEY NAME>`. */
export function adminKeyVariable(orgId: string, name: string): string {
  return envName('AUTOFACILITATE_ADMIN_KEY', orgId, name);
}

/** The variable that holds an operator key, in plain: `AUTOFACILITATE_OPERATOR_KEY_<KEY NAME>`. */
export function operatorKeyVariable(name: string): string {
  return envName('AUTOFACILITATE_OPERATOR_KEY', name);
}

/**
 * The variable that holds an organisation's callback secrets, `whsec_…`, several separated by
 * spaces while one is being rotated: `AUTOFACILITATE_CALLBACK_SECRET_<ORG ID>`.
 */
export function callbackSecretVariable(orgId: string): string {
  return envName('AUTOFACILITATE_CALLBACK_SECRET', orgId);
}

/** The variable that holds the PostgreSQL URL, password included: `AUTOFACILITATE_POSTGRES_URL`. */
export const postgresUrlVariable = 'AUTOFACILITATE_POSTGRES_URL';
