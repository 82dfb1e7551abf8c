import type { CallbackAnswer } from './callback-transport';

/** What an answer means for its delivery. */
export type DeliveryVerdict =
  /** A 2xx: the receiver has it. */
  | { outcome: 'delivered' }
  /** A 410: the receiver wants no more of it; no further attempt. */
  | { outcome: 'gone'; error: string }
  /** Anything else: try again later, per the schedule (and the receiver's `Retry-After`). */
  | { outcome: 'failed'; error: string; retryAfter?: string };

/**
 * Judges an answer: a 2xx delivers, a 410 stops, anything else fails the attempt, a redirect
 * included (it is never followed: the callback goes only where its URL says). `Retry-After` is
 * kept from the statuses that mean "later": 429 and 5xx.
 */
export function answerVerdict({ statusCode, retryAfter }: CallbackAnswer): DeliveryVerdict {
  if (statusCode >= 200 && statusCode < 300) return { outcome: 'delivered' };
  if (statusCode === 410) return { outcome: 'gone', error: 'answered 410 Gone: no further attempt' };
  const error =
    statusCode >= 300 && statusCode < 400
      ? `answered ${statusCode}: a redirect, which is not followed`
      : `answered ${statusCode}`;
  const later = statusCode === 429 || statusCode >= 500;
  return later && retryAfter !== undefined ? { outcome: 'failed', error, retryAfter } : { outcome: 'failed', error };
}
