import { hash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * How secrets are held. Client secrets may be chosen by people, so they are stretched with scrypt;
 * API keys and access tokens are long random values, so one SHA-256 is enough and keeps the check
 * on every request cheap.
 */

const scryptParameters = { N: 16384, r: 8, p: 1 } as const;
const keyLength = 32;

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { ...options, maxmem: 256 * options.N! * options.r! }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a client secret as `scrypt$N$r$p$salt$hash` (salt and hash in base64url). */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, scryptParameters);
  const { N, r, p } = scryptParameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `secret` matches a hash made by {@link hashClientSecret}. */
export async function verifyClientSecret(secret: string, secretHash: string): Promise<boolean> {
  const parts = secretHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== keyLength) return false;
  const actual = await scryptAsync(secret, salt, { N: N!, r: r!, p: p! });
  return timingSafeEqual(actual, expected);
}

/** True when `secretHash` has the form {@link hashClientSecret} makes, with sane scrypt costs. */
export function isClientSecretHash(secretHash: string): boolean {
  const match = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{43}$/.exec(secretHash);
  if (!match) return false;
  const [N, r, p] = match.slice(1, 4).map(Number) as [number, number, number];
  return N >= 1024 && N <= 1048576 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

/** Hex SHA-256 of a value (one-shot: a third of the cost of a Hash object). */
export function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Hashes an API key as `sha256$<hex>`, the form the configuration holds. */
export function hashApiKey(apiKey: string): string {
  return `sha256$${sha256(apiKey)}`;
}
