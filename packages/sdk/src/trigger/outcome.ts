import {
  TriggerOutcomeFromJSON,
  TriggerProgressFromJSON,
  type TriggerOutcome as TriggerOutcomeWire,
} from '@autofacilitate/client';
import { AutoFacilitateError, errorDetail, type ErrorDetail } from '../errors';

/** Where a trigger is in its life: `queued` → `running` → `succeeded`, `failed` or `timed_out`. */
export type TriggerStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out';

/** What every trigger outcome says. */
export interface TriggerOutcomeBase {
  /** The trigger's identifier, always a string (the wire may carry a number). */
  triggerUUID: string;
  /** The service (`vsn`) that runs it. */
  vsn: string;
  /** When the trigger was accepted; absent when the server did not say (204). */
  createdAt?: Date;
  /** When the service started running it (last attempt). */
  startedAt?: Date;
}

/** A trigger that has not finished yet (the server answered 202). */
export interface TriggerPending extends TriggerOutcomeBase {
  status: 'queued' | 'running';
  done: false;
  /** When to ask again, in ms, from the server's `Retry-After`. */
  retryAfterMs?: number;
}

/**
 * A trigger that finished successfully. After a 200 it carries the service's `output` and
 * timestamps; after Alvaria's API reference's 204 there is nothing more to say and only the ids are set.
 */
export interface TriggerSucceeded extends TriggerOutcomeBase {
  status: 'succeeded';
  done: true;
  /** What the service returned (any JSON value); `undefined` when it returned nothing. */
  output?: unknown;
  /** When it finished. */
  finishedAt?: Date;
}

/** A trigger that finished without success: it failed, or ran out of time. */
export interface TriggerFailed extends TriggerOutcomeBase {
  status: 'failed' | 'timed_out';
  done: true;
  /** The error it failed with. */
  error?: ErrorDetail;
  /** When it finished. */
  finishedAt?: Date;
}

/** A finished trigger: switch on `status`. */
export type TriggerFinished = TriggerSucceeded | TriggerFailed;

/** What {@link AutoFacilitate.getResult} answers: switch on `status` (or test `done`). */
export type TriggerOutcome = TriggerPending | TriggerFinished;

/** The ids a result was asked for with, used when the body leaves them out (or there is no body: 204). */
export interface TriggerRef {
  vsn: string;
  triggerUUID: string;
}

/** A finished trigger with nothing to report: Alvaria's API reference's 204. */
export function finishedWithoutOutput(ref: TriggerRef): TriggerSucceeded {
  return { status: 'succeeded', done: true, triggerUUID: ref.triggerUUID, vsn: ref.vsn };
}

/**
 * Reads a result body (a 200 `triggerOutcome`, a 202 `triggerProgress`, or a callback's trigger)
 * with the generated decoders, then normalises it: ids as strings, only valid dates, and a type
 * that says which fields exist for each status.
 */
export function outcomeFromWire(
  json: unknown,
  ref: TriggerRef | undefined,
  pending: boolean,
  retryAfterMs?: number,
): TriggerOutcome {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AutoFacilitateError('The trigger result is not a JSON object', { operation: 'getTriggerResult' });
  }
  const wire = pending ? TriggerProgressFromJSON(json) : TriggerOutcomeFromJSON(json);
  const triggerUUID = idOf(wire.triggerUUID) ?? ref?.triggerUUID;
  const vsn = typeof wire.vsn === 'string' && wire.vsn !== '' ? wire.vsn : ref?.vsn;
  if (triggerUUID === undefined || vsn === undefined) {
    throw new AutoFacilitateError('The trigger result does not say which trigger it is (triggerUUID and vsn)', {
      operation: 'getTriggerResult',
    });
  }
  const base: TriggerOutcomeBase = {
    triggerUUID,
    vsn,
    ...dates({ createdAt: wire.createdAt, startedAt: wire.startedAt }),
  };
  const status = wire.status as unknown;
  if (status === 'queued' || status === 'running') {
    return { ...base, status, done: false, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (!pending) {
    const { output, error, finishedAt } = wire as TriggerOutcomeWire;
    if (status === 'succeeded')
      return { ...base, status, done: true, ...(output === undefined ? {} : { output }), ...dates({ finishedAt }) };
    if (status === 'failed' || status === 'timed_out') {
      const detail = errorDetail(error);
      return { ...base, status, done: true, ...(detail ? { error: detail } : {}), ...dates({ finishedAt }) };
    }
  }
  const what = pending ? 'A trigger still in progress (202)' : 'A finished trigger';
  throw new AutoFacilitateError(`${what} has a status this SDK does not know: ${JSON.stringify(status)}`, {
    operation: 'getTriggerResult',
  });
}

/** `triggerUUID` as a string, whether the wire says `"1234"` or `1234`. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function dates<K extends string>(values: Record<K, Date | undefined>): Partial<Record<K, Date>> {
  const valid: Partial<Record<K, Date>> = {};
  for (const key of Object.keys(values) as K[]) {
    const value = values[key];
    if (value instanceof Date && !Number.isNaN(value.getTime())) valid[key] = value;
  }
  return valid;
}
