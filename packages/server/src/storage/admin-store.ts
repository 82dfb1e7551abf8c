import type { DeliveryHistory, DeliveryState } from './delivery-types';
import type { FinishedState, TriggerRecord, TriggerState } from './trigger-types';

/** What an admin asks for when listing an organisation's triggers. */
export interface TriggerQuery {
  orgId: string;
  status?: TriggerState;
  vsn?: string;
  /** Created at or after this (ms since the epoch). */
  createdFrom?: number;
  /** Created before this. */
  createdBefore?: number;
  /** Only triggers with a callback delivery in this state. */
  callbackState?: DeliveryState;
  /** Only triggers whose triggerUUID sorts before this place: where the page before ended. */
  afterTriggerUUID?: string;
  limit: number;
}

/** One service's triggers: how many wait and run now, and how those that finished since a moment ended. */
export interface ServiceLoad {
  vsn: string;
  queued: number;
  running: number;
  finished: Record<FinishedState, number>;
}

/** One sample of a service's recent past: its queue at the sample's end, what finished in it and how fast. */
export interface ServiceSample {
  vsn: string;
  /** Which sample, from 0, the oldest. */
  sample: number;
  queued: number;
  finished: number;
  /** The mean milliseconds from creation to finish of those that finished; undefined when none did. */
  latencyMs?: number;
}

/** An admin asking for a callback to be sent again. */
export interface ResendRequest {
  orgId: string;
  triggerUUID: string;
  deliveryId: number;
  now: number;
}

/** What became of a resend: the delivery, due again at once, or why not. */
export type ResendResult =
  { outcome: 'resent'; delivery: DeliveryHistory } | { outcome: 'not_found' } | { outcome: 'in_flight' };

/**
 * What the admin operations read across the aggregates, and the one write they make. Lists are
 * newest first in the order triggers were created (their UUIDs are time-ordered), so a page that
 * starts after a trigger never sees one written later.
 */
export interface AdminStore {
  /** A page of an organisation's triggers, newest first, matching every filter given. */
  listTriggers(query: TriggerQuery): Promise<TriggerRecord[]>;
  /** The load of each of an organisation's services that has triggers, by `vsn`. */
  serviceLoad(orgId: string, finishedSince: number): Promise<ServiceLoad[]>;
  /**
   * The organisation's services over `samples` samples of `sampleMs` from `since`: only the
   * (service, sample) pairs with something queued or finished.
   */
  serviceHistory(orgId: string, since: number, sampleMs: number, samples: number): Promise<ServiceSample[]>;
  /**
   * Makes a delivery due again at `now`, pending, with its attempts kept and counted on, under its
   * `webhook-id`; refused while an attempt holds its lease.
   */
  resendDelivery(request: ResendRequest): Promise<ResendResult>;
}
