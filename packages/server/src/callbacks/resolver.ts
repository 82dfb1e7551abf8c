import { lookup } from 'node:dns/promises';

/** One address a name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Where the server turns host names into addresses, so that tests decide what a name resolves to
 * and no test depends on, or sends queries to, a real DNS server.
 */
export interface Resolver {
  /** Every address of `hostname`, in the order the system prefers; rejects when there is none. */
  resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/** The operating system's resolver (`getaddrinfo`, as Node's `dns.lookup` uses it). */
export const systemResolver: Resolver = {
  resolve: (hostname) => lookup(hostname, { all: true, order: 'verbatim' }),
};
