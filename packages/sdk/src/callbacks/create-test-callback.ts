import { secretKey, sign, signatureHeader, type CallbackSecret } from './signature';

/** Options of {@link createTestCallback}. */
export interface TestCallbackOptions {
  /** `webhook-id`. Default: a random `msg_…`. */
  id?: string;
  /** When it was signed. Default: now. */
  timestamp?: Date;
}

/** A signed callback request, as the server would send it. */
export interface TestCallback {
  /** The raw body. */
  body: string;
  /** `content-type`, `webhook-id`, `webhook-timestamp` and `webhook-signature`. */
  headers: Record<'content-type' | 'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
}

/**
 * Makes a correctly signed callback, for testing your own callback handler: post `body` with
 * `headers` to it, and {@link verifyCallback} with the same secret accepts it.
 *
 * @param payload - the body: a string as is, anything else as JSON. A trigger callback is
 *   `{ type: 'trigger.finished', timestamp, data: <triggerOutcome> }`.
 */
export async function createTestCallback(
  payload: unknown,
  secret: CallbackSecret,
  options: TestCallbackOptions = {},
): Promise<TestCallback> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id =
    options.id ??
    `msg_${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  const timestamp = String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000));
  const signature = await sign(secretKey(secret), id, timestamp, new TextEncoder().encode(body));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signatureHeader(signature),
    },
  };
}
