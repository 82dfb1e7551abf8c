import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

// IPv6 addresses callbacks may reach: global unicast (RFC 4291 §2.4), less what ipaddr.js knows as
// special inside it (documentation, 6to4, Teredo, NAT64…).
const globalUnicast = ipaddr.parseCIDR('2000::/3');

// How ipaddr.js names ranges, for people.
const rangeNames: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'shared (CGNAT)',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique local',
};

/** An address as it is connected to: an IPv4-mapped IPv6 address is the IPv4 address it maps. */
function plain(address: string): Address | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/** The host of a URL as it is resolved or connected to: an IPv6 address without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** A range of the configuration's `callbacks.allow`: CIDR, or one address. `undefined` when it is neither. */
export function parseAllowedRange(text: string): [Address, number] | undefined {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const address = ipaddr.parse(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/**
 * Decides which addresses a callback may be delivered to. By default only public unicast ones: no
 * loopback, private, link-local, shared (CGNAT), multicast, reserved or otherwise special address,
 * whether written as IPv4 or as IPv4-mapped IPv6, so that a callback URL cannot make the server
 * call into its own network. Ranges in `allow` are let through all the same.
 */
export class AddressGuard {
  readonly #allowed: Array<[Address, number]>;

  /** @param allow - CIDR ranges or single addresses, as `callbacks.allow` holds them (already checked). */
  constructor(allow: readonly string[]) {
    this.#allowed = allow.map((text) => {
      const range = parseAllowedRange(text);
      if (!range) throw new Error(`Not an address range: ${text}`);
      return range;
    });
  }

  /** Why `address` may not be called, or `undefined` when it may. */
  refusal(address: string): string | undefined {
    const parsed = plain(address);
    if (!parsed) return `${address} is not an IP address`;
    if (this.#allowed.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits)))
      return undefined;
    const range = parsed.range();
    if (parsed.kind() === 'ipv4' ? range === 'unicast' : range === 'unicast' && parsed.match(globalUnicast))
      return undefined;
    const name = rangeNames[range] ?? (range === 'unicast' ? 'non-global' : range);
    return `${parsed.toString()} is ${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name} address`;
  }

  /** The address to connect to for `address`: IPv4-mapped IPv6 as IPv4, the way it is checked. */
  static connectable(address: string): string {
    return plain(address)?.toString() ?? address;
  }
}
