import { isIP } from 'node:net';
import { AddressGuard, hostOf } from './address-guard';

/**
 * Why a callback URL is malformed (400): not http(s), or carrying credentials. `undefined` when it
 * is fine. The spec's `urls` pattern admits no such URL (test/callback-url-pattern.test.ts): this
 * keeps the `new URL` of the checks below safe whatever reaches them.
 */
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
 * Why a callback URL can never be delivered (422), with how to allow it where the configuration
 * can: its host is an IP address the guard refuses, however it is written (`2130706433`, `0x7f.1`,
 * `[::ffff:127.0.0.1]` all read as 127.0.0.1), or a special-use name whose addresses are known
 * without asking a resolver. Any other host name is resolved and checked at each attempt instead.
 * `undefined` when it may be tried.
 */
export function unreachableCallbackUrl(value: string, guard: AddressGuard): string | undefined {
  const host = hostOf(new URL(value));
  if (loopbackName.test(host)) {
    const refusal = guard.refusal('127.0.0.1');
    return refusal && `${host} is always the loopback address (${refusal}): ${allowHint('127.0.0.1')}`;
  }
  if (neverResolvedName.test(host)) return `${host} never resolves (RFC 6761 §6.4)`;
  if (privateNetworkName.test(host)) {
    // Such a name resolves inside a private network only: refused at once when no private range is allowed.
    const refusals = privateNetworkSamples.map((address) => guard.refusal(address));
    return refusals.every(Boolean)
      ? `${host} names a host of a private network, and callbacks.allow lists no private range: add the range it resolves to`
      : undefined;
  }
  if (isIP(host) === 0) return undefined;
  const refusal = guard.refusal(host);
  return refusal && `${refusal}: ${allowHint(AddressGuard.connectable(host))}`;
}

const allowHint = (address: string) =>
  `callbacks.allow must list ${address}/${isIP(address) === 4 ? 32 : 128} to call it`;

// RFC 6761 §6.3: `localhost` and the names under it are the loopback address, whatever a resolver says.
const loopbackName = /(^|\.)localhost\.?$/i;
// RFC 6761 §6.4: `invalid` and the names under it never resolve.
const neverResolvedName = /(^|\.)invalid\.?$/i;
// Names that only a private network resolves: mDNS (RFC 6762), home networks (RFC 8375) and
// ICANN's private-use `internal`.
const privateNetworkName = /(^|\.)(local|home\.arpa|internal)\.?$/i;
// One address of each private and link-local range, to learn whether the configuration allows any.
const privateNetworkSamples = ['10.0.0.1', '172.16.0.1', '192.168.0.1', '169.254.0.1', 'fc00::1', 'fe80::1'];
