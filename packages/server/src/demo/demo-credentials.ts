import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCallbackSecret } from '../callbacks/callback-secret';

/** The plain credentials of the demo organisation. */
export interface DemoCredentials {
  clientSecret: string;
  apiKey: string;
  /** Signs the demo organisation's callbacks. */
  callbackSecret: string;
  /** Opens the demo organisation's admin operations. */
  adminKey: string;
}

/**
 * The demo's secrets are made at its first start and kept in its data folder, so that they stay
 * the same from one start to the next and no secret is ever written in the repository.
 */
export function demoCredentials(dataDir: string): DemoCredentials {
  const file = join(dataDir, 'demo-credentials.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>) : {};
  // A data folder from before callbacks or the admin API gets what it lacks, and keeps the rest.
  if (kept.clientSecret && kept.apiKey && kept.callbackSecret && kept.adminKey) return kept as DemoCredentials;
  const credentials = {
    clientSecret: kept.clientSecret ?? randomBytes(18).toString('base64url'),
    apiKey: kept.apiKey ?? randomBytes(18).toString('base64url'),
    callbackSecret: kept.callbackSecret ?? newCallbackSecret(),
    adminKey: kept.adminKey ?? randomBytes(18).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
