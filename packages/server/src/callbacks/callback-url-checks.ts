import { isIP } from 'node:net';
import { hostOf, type AddressGuard } from './address-guard';

/** Why a callback URL is malformed (400): not http(s), or carrying credentials. `undefined` when it is fine. */
export function malformedCallbackUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  // Credentials in a URL would be kept in the store and shown with every delivery record.
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@)';
  return undefined;
}

/**
 * Why a callback URL can never be delivered (422): its host is an IP address the guard refuses,
 * however it is written (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]` all read as 127.0.0.1), or
 * it is `localhost`. Any other host name is resolved and checked at each attempt instead. `undefined` when it may be tried.
 */
export function unreachableCallbackUrl(value: string, guard: AddressGuard): string | undefined {
  const host = hostOf(new URL(value));
  if (loopbackName.test(host)) {
    const refusal = guard.refusal('127.0.0.1');
    return (
      refusal &&
      `${host} is always the loopback address (${refusal}): callbacks.allow must list 127.0.0.1/32 to call it`
    );
  }
  return isIP(host) === 0 ? undefined : guard.refusal(host);
}

// RFC 6761 §6.3: `localhost` and the names under it are the loopback address, whatever a resolver says.
const loopbackName = /(^|\.)localhost\.?$/i;
