import type { ServerConfig } from '../config/server-config';

/** Whom an admin key admits: one organisation's admin, or an operator of every organisation. */
export interface Admin {
  /** The key's name in the configuration. */
  name: string;
  /** The organisation it is bound to; absent for an operator. */
  orgId?: string;
}

/** The admin and operator keys of a configuration, by the SHA-256 (hex) of the key. */
export function adminKeysFrom(config: ServerConfig): (keyHash: string) => Admin | undefined {
  const admins = new Map<string, Admin>();
  const hex = (hash: string) => hash.slice('sha256$'.length);
  for (const [orgId, organisation] of Object.entries(config.organisations)) {
    for (const [name, adminKey] of Object.entries(organisation.adminKeys))
      admins.set(hex(adminKey.hash), { name, orgId });
  }
  for (const [name, operatorKey] of Object.entries(config.operators)) admins.set(hex(operatorKey.hash), { name });
  return (keyHash) => admins.get(keyHash);
}
