import type { DeliveryAttempt, DeliveryRecord, DeliveryState } from '../delivery-types';

/** A row of `deliveries`. */
export interface DeliveryRow {
  delivery_id: number;
  trigger_uuid: string;
  org_id: string;
  webhook_id: string;
  url: string;
  status: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  finished_at: number | null;
}

/** A row of `delivery_attempts`. */
export interface AttemptRow {
  delivery_id: number;
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  retry_at: number | null;
}

export function toDelivery(row: DeliveryRow): DeliveryRecord {
  const delivery: DeliveryRecord = {
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    triggerUUID: row.trigger_uuid,
    orgId: row.org_id,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
  if (row.status === 'pending') delivery.nextAttemptAt = row.next_attempt_at;
  if (row.finished_at !== null) delivery.finishedAt = row.finished_at;
  return delivery;
}

export function toAttempt(row: AttemptRow): DeliveryAttempt {
  const attempt: DeliveryAttempt = { attempt: row.attempt, startedAt: row.started_at, durationMs: row.duration_ms };
  if (row.status_code !== null) attempt.statusCode = row.status_code;
  if (row.error !== null) attempt.error = row.error;
  if (row.retry_at !== null) attempt.retryAt = row.retry_at;
  return attempt;
}

// job_id names the delivery's one current job, waiting or claimed; job_retry is set while it is
// claimed (the attempt under way). A job that is no longer a delivery's current one (superseded
// by a resend) leases nothing and is completed when fetched.
export const deliverySql = {
  // In the order of the URLs, so delivery ids follow `callbackUrls`.
  queue: `INSERT INTO deliveries (trigger_uuid, org_id, webhook_id, url, status, next_attempt_at, created_at, job_id)
    SELECT $1, $2, $3, u.url, 'pending', $4, $4, u.job_id
    FROM unnest($5::text[], $6::uuid[]) WITH ORDINALITY AS u(url, job_id, n) ORDER BY u.n
    RETURNING delivery_id, job_id`,
  // Leases the deliveries of the jobs fetched; RETURNING gives the due time they had, for the order.
  // A current job fetched again was given back by pg-boss (its deliverer died): its new attempt
  // takes the claim over.
  lease: `WITH due AS (
      SELECT d.delivery_id, d.next_attempt_at AS due_at, j.retry FROM deliveries AS d
      JOIN unnest($3::bigint[], $4::uuid[], $5::int[]) AS j(delivery_id, id, retry)
        ON d.delivery_id = j.delivery_id AND d.job_id = j.id
      WHERE d.status = 'pending' FOR UPDATE OF d
    )
    UPDATE deliveries AS d SET lease_owner = $1, next_attempt_at = $2, attempts = attempts + 1, job_retry = due.retry
    FROM due WHERE d.delivery_id = due.delivery_id
    RETURNING d.*, due.due_at`,
  // The attempt's claim is read before the row lets go of it, to settle the job with; $6 is the
  // job of the next attempt, if any.
  endAttempt: `WITH held AS (
      SELECT delivery_id, job_id, job_retry FROM deliveries
      WHERE delivery_id = $1 AND lease_owner = $2 AND status = 'pending' AND job_retry IS NOT NULL FOR UPDATE
    )
    UPDATE deliveries AS d SET status = $3, next_attempt_at = $4, lease_owner = NULL, finished_at = $5,
      job_id = $6, job_retry = NULL
    FROM held WHERE d.delivery_id = held.delivery_id
    RETURNING held.job_id, held.job_retry`,
  abandon: `WITH held AS (
      SELECT delivery_id, job_id, job_retry FROM deliveries
      WHERE delivery_id = $1 AND job_retry IS NOT NULL FOR UPDATE
    )
    UPDATE deliveries AS d SET status = 'failed', finished_at = $2, lease_owner = NULL, job_id = NULL, job_retry = NULL
    FROM held WHERE d.delivery_id = held.delivery_id
    RETURNING held.job_id, held.job_retry`,
  insertAttempt: `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, retry_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  held: `SELECT delivery_id, job_id, job_retry FROM deliveries
    WHERE lease_owner = $1 AND status = 'pending' AND job_retry IS NOT NULL FOR UPDATE`,
  // Each delivery given back gets a new job ($4), due at once.
  release: `UPDATE deliveries AS d SET lease_owner = NULL, next_attempt_at = $1, attempts = greatest(attempts - 1, 0),
      job_id = n.job_id, job_retry = NULL
    FROM unnest($2::bigint[], $3::uuid[]) AS n(delivery_id, job_id) WHERE d.delivery_id = n.delivery_id`,
} as const;
