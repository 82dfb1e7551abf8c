import type { ServerConfig } from '../config/server-config';

/** An OAuth client, with the organisation its tokens are bound to. */
export interface Client {
  clientId: string;
  orgId: string;
  secretHash: string;
}

/** An API key's identity: its organisation and the name the configuration gives it. */
export interface ApiKey {
  orgId: string;
  name: string;
}

/** The clients and API keys of every organisation, indexed for the checks made on each request. */
export interface Credentials {
  client(clientId: string): Client | undefined;
  /** The API key whose SHA-256 (hex) this is. */
  apiKey(keyHash: string): ApiKey | undefined;
}

/** Indexes the clients and API keys of a configuration. */
export function credentialsFrom(config: ServerConfig): Credentials {
  const clients = new Map<string, Client>();
  const apiKeys = new Map<string, ApiKey>();
  for (const [orgId, organisation] of Object.entries(config.organisations)) {
    for (const [clientId, client] of Object.entries(organisation.clients)) {
      clients.set(clientId, { clientId, orgId, secretHash: client.secretHash });
    }
    for (const [name, apiKey] of Object.entries(organisation.apiKeys)) {
      apiKeys.set(apiKey.hash.slice('sha256$'.length), { orgId, name });
    }
  }
  return {
    client: (clientId) => clients.get(clientId),
    apiKey: (keyHash) => apiKeys.get(keyHash),
  };
}
