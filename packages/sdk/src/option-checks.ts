// Checks of what callers pass the SDK itself. Misuse is a TypeError, thrown before anything is
// sent; data the API would refuse is a ValidationError (see trigger/trigger-input.ts).
import type { HTTPHeaders } from '@autofacilitate/client';
import type { AutoFacilitateOptions } from './options';

// Headers the SDK owns: a caller's copy would be sent beside ours, not instead of it.
const RESERVED_HEADERS = new Set(['authorization', 'x-api-key', 'content-type', 'idempotency-key']);
// RFC 9110 field-value: visible ASCII, spaces and tabs, no line breaks (which would split the header).
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** A duration option: a number of ms ≥ 0, or `Infinity` for none; `fallback` when not given. */
export function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0)
    throw new TypeError(`${name} must be a number of ms ≥ 0 (or Infinity), not ${String(value)}`);
  return value;
}

function required(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} is required (a non-empty string)`);
  return value;
}

/** The organisation and credentials, each present and fit for the header that carries it. */
export function checkCredentials(
  options: AutoFacilitateOptions,
): Pick<AutoFacilitateOptions, 'orgId' | 'clientId' | 'clientSecret' | 'apiKey'> {
  const orgId = required('orgId', options.orgId);
  const { clientId, clientSecret } = checkClient(options);
  const apiKey = required('apiKey', options.apiKey);
  if (!HEADER_VALUE.test(apiKey))
    throw new TypeError('apiKey must be visible ASCII (it is sent as the x-api-key header)');
  return { orgId, clientId, clientSecret, apiKey };
}

/** The OAuth2 client's id and secret, present and fit for HTTP Basic. */
export function checkClient(options: Pick<AutoFacilitateOptions, 'clientId' | 'clientSecret'>): {
  clientId: string;
  clientSecret: string;
} {
  const clientId = required('clientId', options.clientId);
  const clientSecret = required('clientSecret', options.clientSecret);
  // HTTP Basic carries the pair as `id:secret` in ISO-8859-1 (the generated client uses btoa).
  if (clientId.includes(':'))
    throw new TypeError('clientId cannot contain ":" (HTTP Basic separates id and secret with it)');
  if (/[^\x20-\xff]/.test(clientId + clientSecret))
    throw new TypeError('clientId and clientSecret must be printable ISO-8859-1 text (HTTP Basic)');
  return { clientId, clientSecret };
}

/** A caller's extra headers: header-safe, and none the SDK sets itself. */
export function checkHeaders(headers: Record<string, string> | undefined): HTTPHeaders {
  if (headers === undefined) return {};
  for (const [name, value] of Object.entries(headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new TypeError(`headers cannot set ${name}: the SDK sets it`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value))
      throw new TypeError(`headers.${name} must be a string of visible ASCII`);
  }
  return headers;
}

/** An `Idempotency-Key`: a non-empty header-safe string, when given. */
export function checkIdempotencyKey(idempotencyKey: unknown): void {
  if (
    idempotencyKey !== undefined &&
    (typeof idempotencyKey !== 'string' || idempotencyKey === '' || !HEADER_VALUE.test(idempotencyKey))
  ) {
    throw new TypeError('idempotencyKey must be a non-empty string of visible ASCII');
  }
}
