import type { TriggerRow } from './sqlite-trigger-store';

/** One service's share of a claim, as the claim's statements take it. */
export interface ClaimStep {
  workerId: string;
  now: number;
  leaseExpiresAt: number;
  orgId: string;
  vsn: string;
  /** How many more of the service's triggers may run: its concurrency less the leases held. */
  free: number;
}

/**
 * The claim's statements, each served by the `triggers_claim` index in the claim's order: a claim
 * reads about as many rows as it takes, so it costs the same at any queue length (a test reads
 * their query plans). `+@orgId` and `@free + 0` are expressions, not bare parameters, for
 * SQLite's planner reads a bare parameter of an ORDER BY's equality or of a LIMIT and then plans
 * the statement again at each new binding, which made a claim cost four times what it does.
 */
export const claimSql = {
  // The leases the service's triggers hold now, counted among its few running triggers.
  countActive: `SELECT count(*) FROM triggers
    WHERE org_id = @orgId AND vsn = @vsn AND status = 'running' AND finished_at IS NULL AND lease_expires_at > @now`,
  // Queued triggers and lapsed leases, each read in order from the index and merged, oldest first.
  lease: `UPDATE triggers
    SET lease_owner = @workerId, lease_expires_at = @leaseExpiresAt, status = 'running', started_at = @now,
      attempts = attempts + 1
    WHERE trigger_uuid IN (
      SELECT trigger_uuid FROM (
        SELECT trigger_uuid, created_at FROM triggers
        WHERE org_id = +@orgId AND vsn = +@vsn AND status = 'queued' AND finished_at IS NULL
        UNION ALL
        SELECT trigger_uuid, created_at FROM triggers
        WHERE org_id = +@orgId AND vsn = +@vsn AND status = 'running' AND finished_at IS NULL AND lease_expires_at <= @now
        ORDER BY created_at, trigger_uuid LIMIT @free + 0
      )
    )
    RETURNING *`,
} as const;

/** The claim's order, again: RETURNING promises none. */
export function oldestFirst(a: TriggerRow, b: TriggerRow): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  return a.trigger_uuid < b.trigger_uuid ? -1 : a.trigger_uuid > b.trigger_uuid ? 1 : 0;
}
