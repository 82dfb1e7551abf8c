// Alvaria's API reference's production URLs are templates: the API host is named after the organisation, the
// token service after the region. Every URL can be replaced, for the mock or a self-hosted server.

/** The token service's path, the same on every host that serves it (production, mock, self-hosted). */
export const TOKEN_PATH = '/tokenservice/oauth2/access_token';

// One DNS label: the templates put orgId and region into host names.
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Where the client sends its requests. */
export interface ResolvedUrls {
  /** The API's base URL, without a trailing slash. */
  baseUrl: string;
  /** The token service's full URL. */
  tokenUrl: string;
}

/** Which URLs to use, from the options that say so. */
export interface UrlOptions {
  orgId: string;
  region?: string;
  baseUrl?: string;
  tokenUrl?: string;
}

function label(name: string, value: string): string {
  if (!DNS_LABEL.test(value))
    throw new TypeError(
      `${name} must be one DNS label (letters, digits, inner hyphens) to build the production URL, not ${JSON.stringify(value)}`,
    );
  return value;
}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`);
  if (url.search || url.hash) throw new TypeError(`${name} must not have a query or a fragment`);
  return value.replace(/\/+$/, '');
}

/** The production API URL: `https://{orgId}.via.aspect-cloud.net`. */
export function productionBaseUrl(orgId: string): string {
  return `https://${label('orgId', orgId)}.via.aspect-cloud.net`;
}

/** The production token URL: `https://myaspect.{region}.id.aspect-cloud.net/tokenservice/oauth2/access_token`. */
export function productionTokenUrl(region: string): string {
  return `https://myaspect.${label('region', region)}.id.aspect-cloud.net${TOKEN_PATH}`;
}

/** Where the token service is: `tokenUrl`, else the region's production service, else the one at `baseUrl`. */
export function resolveTokenUrl(options: Omit<UrlOptions, 'orgId'>): string {
  if (options.tokenUrl !== undefined) return httpUrl('tokenUrl', options.tokenUrl);
  if (options.region !== undefined) return productionTokenUrl(options.region);
  if (options.baseUrl !== undefined) return `${httpUrl('baseUrl', options.baseUrl)}${TOKEN_PATH}`;
  throw new TypeError(
    'Say where the token service is: give region (production), baseUrl (mock or self-hosted server) or tokenUrl',
  );
}

/**
 * - `baseUrl` given: the API is there, and so is the token service unless `region` or `tokenUrl`
 *   says otherwise (the mock and the self-hosted server serve both).
 * - otherwise: the production API of `orgId`, and the token service of `region` (or `tokenUrl`).
 */
export function resolveUrls(options: UrlOptions): ResolvedUrls {
  const baseUrl =
    options.baseUrl === undefined ? productionBaseUrl(options.orgId) : httpUrl('baseUrl', options.baseUrl);
  return { baseUrl, tokenUrl: resolveTokenUrl(options) };
}
