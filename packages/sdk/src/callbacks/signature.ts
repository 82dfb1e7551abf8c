// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
// `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the secret's bytes (`whsec_` + base64),
// sent as `webhook-signature: v1,{base64}` (several, space-separated, during a secret rotation).
// WebCrypto only, so it runs wherever fetch does.
import { fromBase64, toBase64 } from './base64';

/** A callback signing secret: `whsec_…` as the server shows it (base64 after the prefix), or its raw bytes. */
export type CallbackSecret = string | Uint8Array;

/** A callback's raw body, exactly as received: re-serialised JSON would not match the signature. */
export type RawBody = string | Uint8Array | ArrayBuffer;

const PREFIX = 'whsec_';

/** The key bytes of a secret. */
export function secretKey(secret: CallbackSecret): Uint8Array {
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new TypeError('A callback secret cannot be empty');
    return secret;
  }
  if (typeof secret !== 'string') throw new TypeError('A callback secret is a whsec_… string or bytes');
  const key = fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
  if (!key || key.length === 0)
    throw new TypeError('A callback secret must be whsec_ followed by base64, as the server shows it');
  return key;
}

/** The body's bytes. */
export function bodyBytes(rawBody: RawBody): Uint8Array {
  if (typeof rawBody === 'string') return new TextEncoder().encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  throw new TypeError(
    'Pass the raw body (string, Uint8Array/Buffer or ArrayBuffer) exactly as received, not parsed JSON',
  );
}

/** HMAC-SHA256 of `{id}.{timestamp}.{body}` under `key`. */
export async function sign(key: Uint8Array, id: string, timestamp: string, body: Uint8Array): Promise<Uint8Array> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  const cryptoKey = await globalThis.crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, content));
}

/** The `webhook-signature` header value for one signature. */
export function signatureHeader(signature: Uint8Array): string {
  return `v1,${toBase64(signature)}`;
}

/** The v1 signatures a `webhook-signature` header carries; other versions are ignored. */
export function signaturesIn(header: string): Uint8Array[] {
  return header
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version, value]) => version === 'v1' && value !== undefined)
    .map(([, value]) => fromBase64(value as string))
    .filter((signature): signature is Uint8Array => signature !== undefined);
}
