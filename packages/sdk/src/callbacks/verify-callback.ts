import { CallbackVerificationError } from '../errors';
import { parseCallback, type TriggerCallback } from './parse-callback';
import { bodyBytes, secretKey, sign, signaturesIn, type CallbackSecret, type RawBody } from './signature';
import { timingSafeEqual } from './timing-safe-equal';

/** Request headers as frameworks hand them over: fetch `Headers`, or Node's lower-cased record. */
export type CallbackHeaders = Headers | Record<string, string | string[] | undefined>;

/** Options of {@link verifyCallback}. */
export interface VerifyCallbackOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The time to check against. Default: now. */
  now?: Date;
}

/** A callback whose signature checked out. */
export interface VerifiedCallback extends TriggerCallback {
  /** `webhook-id`: the same for every delivery of one callback, so a handler can drop repeats. */
  id: string;
  /** `webhook-timestamp`: when this delivery was signed. */
  signedAt: Date;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

function header(headers: CallbackHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

function refuse(message: string, reason: CallbackVerificationError['reason']): never {
  throw new CallbackVerificationError(message, reason);
}

/**
 * Checks a callback's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) and reads it. The timestamp must be within `toleranceSeconds` of now, which
 * stops replays of old deliveries; signatures are compared in constant time. Pass several secrets
 * while rotating: a signature made with any of them is accepted.
 *
 * @param rawBody - the body exactly as received (not parsed and re-serialised JSON).
 * @throws CallbackVerificationError when a header is missing, the timestamp is out of tolerance,
 *   no signature matches, or the body is not a trigger callback. Answer such requests with 400.
 * @throws TypeError when a secret is not `whsec_…` base64 or the body is not raw.
 */
export async function verifyCallback(
  rawBody: RawBody,
  headers: CallbackHeaders,
  secret: CallbackSecret | readonly CallbackSecret[],
  options: VerifyCallbackOptions = {},
): Promise<VerifiedCallback> {
  const keys = (Array.isArray(secret) ? secret : [secret]).map(secretKey);
  if (keys.length === 0) throw new TypeError('verifyCallback needs at least one secret');
  const body = bodyBytes(rawBody);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature)
    refuse('The callback lacks webhook-id, webhook-timestamp or webhook-signature', 'missing_header');
  if (!/^\d{1,15}$/.test(timestamp.trim()))
    refuse('webhook-timestamp is not a Unix time in seconds', 'invalid_timestamp');

  const signedAtSeconds = Number(timestamp.trim());
  const nowSeconds = (options.now ?? new Date()).getTime() / 1000;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - signedAtSeconds) > tolerance) {
    refuse(
      `webhook-timestamp is more than ${tolerance} s away from now: a replay, or a clock out of step`,
      'timestamp_out_of_tolerance',
    );
  }

  const offered = signaturesIn(signature);
  let matched = false;
  for (const key of keys) {
    const expected = await sign(key, id, timestamp.trim(), body);
    // Check every offered signature, so the time taken does not tell which one matched.
    for (const candidate of offered) matched = timingSafeEqual(expected, candidate) || matched;
  }
  if (!matched)
    refuse(
      'No webhook-signature matches: the callback was not signed with this secret, or was changed on the way',
      'no_matching_signature',
    );

  return { ...parseCallback(body), id, signedAt: new Date(signedAtSeconds * 1000) };
}
