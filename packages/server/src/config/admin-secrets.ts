import { hashApiKey } from '../auth/secret-hash';
import type { ConfigSource } from './load-config';
import { adminKeyVariable, operatorKeyVariable } from './env-overrides';
import type { ApiKeyConfig, ServerConfig } from './server-config';

interface HashedKey {
  /** Where the configuration names it, for error messages. */
  key: string;
  variable: string;
  config: ApiKeyConfig;
}

function adminKeysOf(config: ServerConfig): HashedKey[] {
  return [
    ...Object.entries(config.organisations).flatMap(([orgId, organisation]) =>
      Object.entries(organisation.adminKeys).map(([name, adminKey]) => ({
        key: `organisations.${orgId}.adminKeys.${name}`,
        variable: adminKeyVariable(orgId, name),
        config: adminKey,
      })),
    ),
    ...Object.entries(config.operators).map(([name, operatorKey]) => ({
      key: `operators.${name}`,
      variable: operatorKeyVariable(name),
      config: operatorKey,
    })),
  ];
}

/**
 * Applies the admin and operator keys given in the environment, and checks that each is known and
 * is no other key: an API key that also opened the admin operations would leak them with it.
 */
export function applyAdminSecrets(config: ServerConfig, source: ConfigSource, problems: string[]): void {
  const owners = new Map<string, string>();
  for (const [orgId, organisation] of Object.entries(config.organisations)) {
    for (const [name, apiKey] of Object.entries(organisation.apiKeys)) {
      if (apiKey.hash !== undefined) owners.set(apiKey.hash, `organisations.${orgId}.apiKeys.${name}`);
    }
  }
  for (const { key, variable, config: adminKey } of adminKeysOf(config)) {
    const plain = source.env[variable];
    if (plain) {
      adminKey.hash = hashApiKey(plain);
    } else if (adminKey.hash === undefined) {
      if (!source.withoutSecrets) problems.push(`${key}.hash: missing (or set the environment variable ${variable})`);
      continue;
    }
    const owner = owners.get(adminKey.hash);
    if (owner) problems.push(`${key}: the same key is also ${owner}`);
    owners.set(adminKey.hash, key);
  }
}
