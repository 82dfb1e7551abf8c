import type { AdminTimelineEntry } from '@autofacilitate/client';

const describe = (entry: AdminTimelineEntry) =>
  entry.event === 'callback_attempt'
    ? `callback ${entry.deliveryId} attempt ${entry.attempt}: ${entry.statusCode ?? entry.error ?? 'no answer'}`
    : entry.event;

/** What happened to a trigger, in order: queued → running → finished → each callback attempt. */
export function Timeline({ entries }: { entries: AdminTimelineEntry[] }) {
  return (
    <>
      <h2>Timeline</h2>
      <ol class="timeline">
        {entries.map((entry, index) => (
          <li key={index}>
            <time dateTime={entry.at.toISOString()}>{entry.at.toLocaleTimeString()}</time> {describe(entry)}
          </li>
        ))}
      </ol>
    </>
  );
}
