import { createHash } from 'node:crypto';

/**
 * What an execute asks for, hashed: the service, the parameters (in any order) and the callback
 * URLs (in order). A repeat with the same `Idempotency-Key` must ask for the same, whether it
 * came as JSON or as XML.
 */
export function executeRequestHash(
  vsn: string,
  triggerParameters: Record<string, string>,
  callbackUrls: readonly string[],
): string {
  const parameters = Object.entries(triggerParameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([vsn, parameters, callbackUrls]))
    .digest('hex');
}
