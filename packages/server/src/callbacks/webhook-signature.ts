import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature of one attempt: for each key, `v1,` and the base64 HMAC-SHA256
 * of `{webhook-id}.{webhook-timestamp}.{body}`, space-separated. Every key signs, so a receiver
 * that knows any one of an organisation's secrets (the old or the new, while rotating) accepts it.
 *
 * @param timestamp - `webhook-timestamp`: Unix seconds, as sent.
 */
export function webhookSignature(keys: readonly Buffer[], webhookId: string, timestamp: string, body: string): string {
  return keys
    .map((key) => `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(body).digest('base64')}`)
    .join(' ');
}
