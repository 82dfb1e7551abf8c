import type { AdminTriggerSummary } from '@autofacilitate/client';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { admin, problemOf } from '../api';
import { useLiveEvents } from '../live-events';
import { triggerHref } from '../route';
import { TriggerFilters, type TriggerFilter } from './trigger-filters';

const pageSize = 20;
const timeOf = (date: Date | undefined) => (date ? date.toLocaleString() : '—');

/** The organisation's triggers, newest first: filters, a search by UUID, and live updates. */
export function TriggersPage({ orgId }: { orgId: string }) {
  const [filter, setFilter] = useState<TriggerFilter>({});
  const [triggers, setTriggers] = useState<AdminTriggerSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  // The first page again: after a filter changes, and whenever the server says something changed.
  const reload = useCallback(async () => {
    try {
      const page = await admin.listAdminTriggers({ orgId, ...filter, limit: pageSize });
      setTriggers(page.triggers);
      setNextCursor(page.nextCursor);
      setProblem(undefined);
    } catch (error) {
      setProblem(await problemOf(error));
    }
  }, [orgId, filter]);
  useEffect(() => void reload(), [reload]);
  useLiveEvents(orgId, reload);

  const more = async () => {
    const page = await admin.listAdminTriggers({ orgId, ...filter, limit: pageSize, cursor: nextCursor });
    setTriggers([...triggers, ...page.triggers]);
    setNextCursor(page.nextCursor);
  };
  const search = (event: SubmitEvent) => {
    event.preventDefault();
    const triggerUUID = new FormData(event.currentTarget as HTMLFormElement).get('triggerUUID') as string;
    window.location.hash = triggerHref(triggerUUID.trim());
  };

  return (
    <section aria-labelledby="triggers-heading">
      <h1 id="triggers-heading">Triggers</h1>
      <form class="search" role="search" onSubmit={search}>
        <label for="trigger-search">Trigger UUID</label>
        <input id="trigger-search" name="triggerUUID" required pattern="\s*[0-9A-Fa-f-]{36}\s*" />
        <button type="submit">Open</button>
      </form>
      <TriggerFilters onApply={setFilter} />
      {problem && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      <div class="table-scroll">
        <table>
          <caption>
            {triggers.length === 0
              ? 'No triggers match.'
              : `${triggers.length} ${triggers.length === 1 ? 'trigger' : 'triggers'}, newest first`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Trigger</th>
              <th scope="col">Service</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Finished</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {triggers.map((trigger) => (
              <tr key={trigger.triggerUUID} data-trigger={trigger.triggerUUID}>
                <td>
                  <a class="uuid" href={triggerHref(trigger.triggerUUID)}>
                    {trigger.triggerUUID}
                  </a>
                </td>
                <td>{trigger.vsn}</td>
                <td>
                  <span class={`status ${trigger.status}`}>{trigger.status}</span>
                </td>
                <td>{timeOf(trigger.createdAt)}</td>
                <td>{timeOf(trigger.finishedAt)}</td>
                <td>{trigger.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextCursor && (
        <button type="button" onClick={more}>
          More triggers
        </button>
      )}
    </section>
  );
}
