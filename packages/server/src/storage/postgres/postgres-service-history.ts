import type { Pool } from 'pg';
import type { ServiceSample } from '../admin-store';

interface SampleRow {
  vsn: string;
  sample: number;
  queued: number;
  finished: number;
  latency_ms: number | null;
}

// As SQLite's: at each sample's end the triggers waiting then (created, neither started nor
// finished yet), and those that finished within it, with the mean time they took from execute.
const historySql = `WITH samples AS (
    SELECT sample, $2::bigint + sample * $3::bigint AS starts, $2::bigint + (sample + 1) * $3::bigint AS ends
    FROM generate_series(0, $4::int - 1) AS sample
  )
  SELECT t.vsn, s.sample,
    count(*) FILTER (WHERE coalesce(t.started_at, t.finished_at, s.ends + 1) > s.ends)::int AS queued,
    count(*) FILTER (WHERE t.finished_at >= s.starts AND t.finished_at < s.ends)::int AS finished,
    round(avg(t.finished_at - t.created_at) FILTER (WHERE t.finished_at >= s.starts AND t.finished_at < s.ends))::int
      AS latency_ms
  FROM samples AS s JOIN triggers AS t
    ON t.org_id = $1 AND t.created_at <= s.ends AND (t.finished_at IS NULL OR t.finished_at >= s.starts)
  GROUP BY t.vsn, s.sample
  ORDER BY t.vsn COLLATE "C", s.sample`;

/** The services' last samples on PostgreSQL, in one statement. */
export async function postgresServiceHistory(
  pool: Pool,
  orgId: string,
  since: number,
  sampleMs: number,
  samples: number,
): Promise<ServiceSample[]> {
  const { rows } = await pool.query<SampleRow>(historySql, [orgId, since, sampleMs, samples]);
  return rows
    .filter((row) => row.queued > 0 || row.finished > 0)
    .map((row) => ({
      vsn: row.vsn,
      sample: row.sample,
      queued: row.queued,
      finished: row.finished,
      ...(row.latency_ms !== null && { latencyMs: row.latency_ms }),
    }));
}
