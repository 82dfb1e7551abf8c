import { ValidationError, type ErrorDetail } from '../errors';

/** Parameters handed to the triggered service: names to string values. */
export type TriggerParameters = Record<string, string>;

/** Throws a {@link ValidationError} for bad input found before anything was sent. */
export function refuse(message: string, scope: string, reason: string): never {
  const detail: ErrorDetail = { scope, reason, message };
  throw new ValidationError(message, { errors: [detail] });
}

/** Checks `vsn`: a service name, sent in the path. */
export function checkVsn(vsn: unknown): string {
  if (typeof vsn !== 'string' || vsn === '')
    refuse('vsn must be a non-empty string (the name of the service)', 'vsn', 'Invalid vsn');
  return vsn;
}

/** Checks `triggerUUID`: a string, or a whole number (Alvaria's API reference types it as integer). */
export function checkTriggerUUID(triggerUUID: unknown): string {
  if (typeof triggerUUID === 'string' && triggerUUID !== '') return triggerUUID;
  if (typeof triggerUUID === 'number' && Number.isSafeInteger(triggerUUID)) return String(triggerUUID);
  return refuse('triggerUUID must be a non-empty string or a whole number', 'triggerUUID', 'Invalid triggerUUID');
}

/** Checks what the spec's `triggerParameter` body allows, before anything is sent. */
export function checkTriggerBody(triggerParameters: unknown, callbackUrls: unknown): void {
  if (typeof triggerParameters !== 'object' || triggerParameters === null || Array.isArray(triggerParameters)) {
    refuse(
      'triggerParameters must be an object of names to string values',
      'triggerParameters',
      'Invalid triggerParameters',
    );
  }
  for (const [name, value] of Object.entries(triggerParameters)) {
    if (typeof value !== 'string') {
      refuse(
        `triggerParameters.${name} must be a string, not ${value === null ? 'null' : typeof value}`,
        `triggerParameters.${name}`,
        'Invalid parameter value',
      );
    }
  }
  if (callbackUrls === undefined) return;
  if (!Array.isArray(callbackUrls))
    refuse('callbackUrls must be an array of URLs', 'callbackUrls', 'Invalid callbackUrls');
  callbackUrls.forEach((url, index) => {
    if (typeof url !== 'string' || url === '')
      refuse(`callbackUrls[${index}] must be a non-empty string`, `callbackUrls[${index}]`, 'Invalid callback URL');
  });
}
