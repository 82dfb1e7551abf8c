import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The plain credentials of the demo organisation. */
export interface DemoCredentials {
  clientSecret: string;
  apiKey: string;
}

/**
 * The demo's secrets are made at its first start and kept in its data folder, so that they stay
 * the same from one start to the next and no secret is ever written in the repository.
 */
export function demoCredentials(dataDir: string): DemoCredentials {
  const file = join(dataDir, 'demo-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  const credentials = {
    clientSecret: randomBytes(18).toString('base64url'),
    apiKey: randomBytes(18).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
