import { randomBytes } from 'node:crypto';

const prefix = 'whsec_';

/**
 * The key bytes of a Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes,
 * as the SDK's `verifyCallback` takes it. `undefined` when the text is not such a secret.
 */
export function callbackSecretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(prefix)) return undefined;
  const encoded = secret.slice(prefix.length).replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]+$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  // Only text that is exactly the base64 of its bytes: nothing dropped on the way.
  if (key.toString('base64').replace(/=+$/, '') !== encoded) return undefined;
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

/** A fresh secret: `whsec_` and the base64 of 32 random bytes. */
export function newCallbackSecret(): string {
  return `${prefix}${randomBytes(32).toString('base64')}`;
}
