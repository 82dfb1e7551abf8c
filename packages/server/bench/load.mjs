// Load with autocannon: what was answered, counted by kind. 2xx are the figures, 429s are counted
// and printed (a limit cut the load), and anything else fails the bench, loudly.
import autocannon from 'autocannon';

/** One execute body, as the request rows have always sent it. */
export const executeBody = JSON.stringify({
  triggerParameters: { key: 'value', customerId: '42' },
  callbackUrls: ['https://mycompany.com/callbacks/id=123'],
});

/**
 * Runs autocannon against `url` for `seconds` (or for `amount` requests) and answers the rate of
 * 2xx answers, their latency, and how many were 2xx and 429. `target` is a server of
 * `servers.mjs` (for its headers and its liveness).
 */
export async function load(target, { url = target.executeUrl, method = 'POST', body, connections, seconds, amount }) {
  const result = await autocannon({
    url,
    method,
    headers: target.headers,
    ...(body !== undefined && { body }),
    connections,
    ...(amount === undefined ? { duration: seconds } : { amount }),
    // The server's own default `requestTimeoutMs`: a request unanswered for longer is a failure.
    timeout: 30,
  });
  target.assertAlive();
  const counts = result.statusCodeStats;
  const ok = result['2xx'];
  const tooMany = counts['429']?.count ?? 0;
  const unexpected = Object.entries(counts).filter(([status]) => !status.startsWith('2') && status !== '429');
  if (unexpected.length > 0 || result.errors > 0) {
    const statuses = unexpected.map(([status, { count }]) => `${count} × ${status}`).join(', ') || 'no other status';
    throw new Error(
      `${method} ${url} at ${connections} connections: ${statuses}, ${result.errors} errors (${result.timeouts} timeouts), ${ok} 2xx, ${tooMany} × 429`,
    );
  }
  return {
    perSecond: ok / result.duration,
    ok,
    tooMany,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** The `p`th percentile of ascending `sorted`. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
