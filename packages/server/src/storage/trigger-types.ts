import type { TraceHeaders } from '../tracing/trace-context';

/** Where a trigger is in its life (the spec's `triggerState`). */
export type TriggerState = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out';

/** How a finished trigger ended. */
export type FinishedState = Extract<TriggerState, 'succeeded' | 'failed' | 'timed_out'>;

/** One problem, in the spec's `Error` shape. */
export interface TriggerError {
  scope: string;
  reason: string;
  message: string;
}

/** What `execute` writes: the trigger and, in the same transaction, its job. */
export interface NewTrigger {
  triggerUUID: string;
  orgId: string;
  vsn: string;
  triggerParameters: Record<string, string>;
  callbackUrls: string[];
  /** The request that created the trigger, so the worker's log lines can name it. */
  requestId: string;
  createdAt: number;
  /** The execute request's trace: the run and the callbacks join it, in whichever process they happen. */
  trace?: TraceHeaders;
}

/** A trigger as the store keeps it. Times are milliseconds since the Unix epoch. */
export interface TriggerRecord extends NewTrigger {
  status: TriggerState;
  /** What the service returned; `undefined` when it returned nothing. */
  output?: unknown;
  error?: TriggerError;
  startedAt?: number;
  finishedAt?: number;
  /** How many times a worker has claimed the trigger. */
  attempts: number;
}

/** What `getTriggerResult` answers with: a trigger's state and outcome, without what it was sent. */
export type TriggerResultRecord = Pick<
  TriggerRecord,
  'triggerUUID' | 'vsn' | 'status' | 'output' | 'error' | 'createdAt' | 'startedAt' | 'finishedAt'
>;

/** One service's share of a claim: at most `concurrency` of its triggers run at once, across all processes. */
export interface ServiceCapacity {
  orgId: string;
  vsn: string;
  concurrency: number;
}

/** A worker asking for triggers to run: one batch, sized to the free capacity of each service. */
export interface ClaimRequest {
  workerId: string;
  now: number;
  leaseMs: number;
  services: ServiceCapacity[];
}

/** The end of a run, written only while the worker still holds the lease. */
export interface TriggerFinish {
  triggerUUID: string;
  workerId: string;
  status: FinishedState;
  output?: unknown;
  error?: TriggerError;
  finishedAt: number;
  /**
   * The `webhook-id` of the trigger's callback: in the same transaction, one delivery to each of
   * its `callbackUrls` is queued under it, due at once.
   */
  webhookId: string;
}

/** Unfinished triggers, per organisation and state. */
export interface UnfinishedCount {
  orgId: string;
  status: 'queued' | 'running';
  count: number;
}
