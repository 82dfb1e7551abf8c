import { AutoFacilitateError, CallbackVerificationError } from '../errors';
import { outcomeFromWire, type TriggerOutcome } from '../trigger/outcome';
import { bodyBytes, type RawBody } from './signature';

/**
 * A callback from the server about a trigger. The body is a Standard Webhooks envelope
 * `{ type, timestamp, data }` whose `data` is the trigger, as `getTriggerResult` answers it
 * (`triggerOutcome`); a body that is the trigger itself is read too.
 */
export interface TriggerCallback {
  /** The event type from the envelope, e.g. `trigger.finished`. */
  type?: string;
  /** When the event happened, from the envelope. */
  timestamp?: Date;
  /** The trigger the callback is about: switch on `status`. */
  trigger: TriggerOutcome;
}

function invalid(message: string, cause?: unknown): CallbackVerificationError {
  return new CallbackVerificationError(message, 'invalid_payload', { cause });
}

/**
 * Reads a callback body into a typed {@link TriggerCallback}, without checking its signature:
 * use {@link verifyCallback} on anything that came over the network.
 *
 * @throws CallbackVerificationError (`reason: 'invalid_payload'`) when the body is not a trigger callback.
 */
export function parseCallback(rawBody: RawBody): TriggerCallback {
  const bytes = bodyBytes(rawBody);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalid('The callback body is not UTF-8 JSON', error);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw invalid('The callback body is not a JSON object');
  const envelope = json as { type?: unknown; timestamp?: unknown; data?: unknown };
  const enveloped = typeof envelope.data === 'object' && envelope.data !== null;
  let trigger: TriggerOutcome;
  try {
    trigger = outcomeFromWire(enveloped ? envelope.data : json, undefined, false);
  } catch (error) {
    throw error instanceof AutoFacilitateError
      ? invalid(`The callback does not describe a trigger: ${error.message}`, error)
      : error;
  }
  const timestamp = typeof envelope.timestamp === 'string' ? new Date(envelope.timestamp) : undefined;
  return {
    ...(enveloped && typeof envelope.type === 'string' ? { type: envelope.type } : {}),
    ...(enveloped && timestamp && !Number.isNaN(timestamp.getTime()) ? { timestamp } : {}),
    trigger,
  };
}
