// Error codes (Node, undici) of failures that happen while connecting, so before a single byte of
// the request has left: the server cannot have started anything. A reset or a timeout after the
// connection was made is not here: the request may have arrived.
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether a failed fetch provably never sent its request. Looks through `cause` chains and
 * `AggregateError`s (one per address tried). Runtimes that do not say why a fetch failed
 * (browsers) answer `false`: without proof, a POST is not retried.
 */
export function wasNeverSent(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && CONNECT_FAILURES.has(code)) return true;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => wasNeverSent(inner, depth + 1)))
    return true;
  return wasNeverSent(cause, depth + 1);
}
