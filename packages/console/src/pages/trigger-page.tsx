import type { AdminTrigger } from '@autofacilitate/client';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { admin, problemOf } from '../api';
import { useLiveEvents } from '../live-events';
import { Deliveries } from './deliveries';
import { Timeline } from './timeline';

/** One trigger: its parameters, output or error, timeline and callback deliveries. */
export function TriggerPage({ orgId, triggerUUID }: { orgId: string; triggerUUID: string }) {
  const [trigger, setTrigger] = useState<AdminTrigger | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const reload = useCallback(async () => {
    try {
      setTrigger(await admin.getAdminTrigger({ orgId, triggerUUID }));
      setProblem(undefined);
    } catch (error) {
      setProblem(await problemOf(error));
    }
  }, [orgId, triggerUUID]);
  useEffect(() => void reload(), [reload]);
  // Only this trigger's changes matter here.
  const onChange = useCallback(
    (event: MessageEvent<string>) => {
      if ((JSON.parse(event.data) as { triggerUUID: string }).triggerUUID === triggerUUID) void reload();
    },
    [triggerUUID, reload],
  );
  useLiveEvents(orgId, onChange);

  return (
    <section aria-labelledby="trigger-heading">
      <p>
        <a href="#/triggers">← All triggers</a>
      </p>
      <h1 id="trigger-heading">
        Trigger <span class="uuid">{triggerUUID}</span>
      </h1>
      {problem && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {trigger && (
        <>
          <dl class="facts">
            <dt>Service</dt>
            <dd>{trigger.vsn}</dd>
            <dt>Status</dt>
            <dd>
              <span class={`status ${trigger.status}`}>{trigger.status}</span>
            </dd>
            <dt>Request id</dt>
            <dd>{trigger.requestId}</dd>
          </dl>
          <h2>Parameters</h2>
          <pre>{JSON.stringify(trigger.triggerParameters, null, 2)}</pre>
          {trigger.error ? (
            <>
              <h2>Error</h2>
              <pre class="problem">{JSON.stringify(trigger.error, null, 2)}</pre>
            </>
          ) : (
            <>
              <h2>Output</h2>
              <pre>{trigger.output === undefined ? 'none yet' : JSON.stringify(trigger.output, null, 2)}</pre>
            </>
          )}
          <Timeline entries={trigger.timeline} />
          <Deliveries orgId={orgId} trigger={trigger} onResent={reload} />
        </>
      )}
    </section>
  );
}
