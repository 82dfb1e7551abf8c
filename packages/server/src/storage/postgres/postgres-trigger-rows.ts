import type {
  NewTrigger,
  TriggerError,
  TriggerFinish,
  TriggerRecord,
  TriggerResultRecord,
  TriggerState,
} from '../trigger-types';

/** A row of `triggers`: json columns come back parsed, BIGINTs as numbers (postgres-pool.ts). */
export interface TriggerRow {
  trigger_uuid: string;
  org_id: string;
  vsn: string;
  trigger_parameters: Record<string, string>;
  callback_urls: string[];
  request_id: string;
  status: TriggerState;
  output: unknown;
  error: TriggerError | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempts: number;
  traceparent: string | null;
  tracestate: string | null;
}

/** A row of `resultColumns`. */
export type ResultRow = Pick<
  TriggerRow,
  'trigger_uuid' | 'vsn' | 'status' | 'output' | 'error' | 'created_at' | 'started_at' | 'finished_at'
>;

export const resultColumns = 'trigger_uuid, vsn, status, output, error, created_at, started_at, finished_at';

export function toResult(row: ResultRow): TriggerResultRecord {
  const result: TriggerResultRecord = {
    triggerUUID: row.trigger_uuid,
    vsn: row.vsn,
    status: row.status,
    createdAt: row.created_at,
  };
  if (row.output !== null) result.output = row.output;
  if (row.error !== null) result.error = row.error;
  if (row.started_at !== null) result.startedAt = row.started_at;
  if (row.finished_at !== null) result.finishedAt = row.finished_at;
  return result;
}

export function toTrigger(row: TriggerRow): TriggerRecord {
  const trigger: TriggerRecord = {
    ...toResult(row),
    orgId: row.org_id,
    triggerParameters: row.trigger_parameters,
    callbackUrls: row.callback_urls,
    requestId: row.request_id,
    attempts: row.attempts,
  };
  if (row.traceparent !== null) {
    trigger.trace = { traceparent: row.traceparent };
    if (row.tracestate !== null) trigger.trace.tracestate = row.tracestate;
  }
  return trigger;
}

// A JSON value for a json column; SQL NULL for none.
const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export const triggerSql = {
  insert: `INSERT INTO triggers (trigger_uuid, org_id, vsn, trigger_parameters, callback_urls, request_id, status,
      created_at, traceparent, tracestate)
    VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9)`,
  // The claim's attempt (job_retry) is read before the row lets go of it, to settle the job with.
  finish: `WITH held AS (
      SELECT trigger_uuid, job_retry FROM triggers
      WHERE trigger_uuid = $1 AND lease_owner = $2 AND finished_at IS NULL FOR UPDATE
    )
    UPDATE triggers AS t SET status = $3, output = $4, error = $5, finished_at = $6, lease_owner = NULL, job_retry = NULL
    FROM held WHERE t.trigger_uuid = held.trigger_uuid
    RETURNING t.*, held.job_retry AS claimed_retry`,
  claim: `UPDATE triggers AS t SET status = 'running', started_at = $1, attempts = attempts + 1, lease_owner = $2,
      job_retry = j.retry
    FROM unnest($3::text[], $4::int[]) AS j(id, retry)
    WHERE t.trigger_uuid = j.id AND t.finished_at IS NULL
    RETURNING t.*`,
} as const;

export function insertValues(trigger: NewTrigger): unknown[] {
  return [
    trigger.triggerUUID,
    trigger.orgId,
    trigger.vsn,
    JSON.stringify(trigger.triggerParameters),
    JSON.stringify(trigger.callbackUrls),
    trigger.requestId,
    trigger.createdAt,
    trigger.trace?.traceparent ?? null,
    trigger.trace?.tracestate ?? null,
  ];
}

export function finishValues(finish: TriggerFinish): unknown[] {
  return [
    finish.triggerUUID,
    finish.workerId,
    finish.status,
    json(finish.output),
    json(finish.error),
    finish.finishedAt,
  ];
}

/** The claim's order: oldest first, as on every store (UPDATE … RETURNING promises none). */
export function oldestFirst(a: TriggerRecord, b: TriggerRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.triggerUUID < b.triggerUUID ? -1 : a.triggerUUID > b.triggerUUID ? 1 : 0;
}
