/** Where a callback delivery is: waiting for its next attempt, or done one way or another. */
export type DeliveryState = 'pending' | 'delivered' | 'gone' | 'failed';

/** One attempt at a delivery. */
export interface DeliveryAttempt {
  /** 1 for the first. */
  attempt: number;
  startedAt: number;
  durationMs: number;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Why the attempt did not deliver: a network error, a timeout, a refused address, the answer. */
  error?: string;
  /** When the next attempt is due; absent when there is none. */
  retryAt?: number;
}

/** The callback of a finished trigger to one of its URLs. */
export interface DeliveryRecord {
  deliveryId: number;
  /** `webhook-id`: the same for every URL and every attempt of one trigger's callback. */
  webhookId: string;
  triggerUUID: string;
  orgId: string;
  url: string;
  status: DeliveryState;
  /** Attempts begun, an attempt cut short by a crash included. */
  attempts: number;
  /** When the next attempt is due, while pending. */
  nextAttemptAt?: number;
  createdAt: number;
  finishedAt?: number;
}

/** A delivery with every attempt made at it, oldest first. */
export interface DeliveryHistory extends DeliveryRecord {
  history: DeliveryAttempt[];
}

/** A deliverer asking for due deliveries. */
export interface DeliveryClaimRequest {
  workerId: string;
  now: number;
  /** The attempt must be recorded within this; after it, another claim may make it again. */
  leaseMs: number;
  limit: number;
}

/** An attempt's result, written only while the deliverer still holds the lease. */
export interface DeliveryAttemptRecord {
  deliveryId: number;
  workerId: string;
  attempt: DeliveryAttempt;
  /** `pending` when another attempt is due at `attempt.retryAt`. */
  status: DeliveryState;
}

/** The callback of one finished trigger, queued to each of its URLs in the finish's transaction. */
export interface CallbackToQueue {
  triggerUUID: string;
  orgId: string;
  webhookId: string;
  urls: string[];
  /** When the deliveries are created, and due. */
  at: number;
}
