import type Database from 'better-sqlite3';
import type { ServiceSample } from '../admin-store';

interface SampleRow {
  vsn: string;
  sample: number;
  queued: number;
  finished: number;
  latency_ms: number | null;
}

/**
 * The services' last samples, in one statement: at each sample's end, the triggers waiting then
 * (created, neither started nor finished yet), and those that finished within it, with the mean
 * time they took from execute.
 */
export function sqliteServiceHistory(db: Database.Database) {
  const statement = db.prepare<[Record<string, number | string>], SampleRow>(
    `WITH RECURSIVE samples(sample, starts, ends) AS (
       SELECT 0, @since, @since + @sampleMs
       UNION ALL SELECT sample + 1, ends, ends + @sampleMs FROM samples WHERE sample + 1 < @samples
     )
     SELECT t.vsn AS vsn, s.sample AS sample,
       count(CASE WHEN coalesce(t.started_at, t.finished_at, s.ends + 1) > s.ends THEN 1 END) AS queued,
       count(CASE WHEN t.finished_at >= s.starts AND t.finished_at < s.ends THEN 1 END) AS finished,
       round(avg(CASE WHEN t.finished_at >= s.starts AND t.finished_at < s.ends
         THEN t.finished_at - t.created_at END)) AS latency_ms
     FROM samples AS s JOIN triggers AS t
       ON t.org_id = @orgId AND t.created_at <= s.ends AND (t.finished_at IS NULL OR t.finished_at >= s.starts)
     GROUP BY t.vsn, s.sample
     ORDER BY t.vsn, s.sample`,
  );
  return (orgId: string, since: number, sampleMs: number, samples: number): ServiceSample[] =>
    statement
      .all({ orgId, since, sampleMs, samples })
      .filter((row) => row.queued > 0 || row.finished > 0)
      .map((row) => ({
        vsn: row.vsn,
        sample: row.sample,
        queued: row.queued,
        finished: row.finished,
        ...(row.latency_ms !== null && { latencyMs: row.latency_ms }),
      }));
}
