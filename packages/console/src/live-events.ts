import { useEffect } from 'preact/hooks';
import { eventsUrl } from './api';

/**
 * Calls `onChange` for each trigger or delivery change of the organisation, from the admin event
 * stream (`streamAdminEvents`). EventSource sends the session cookie on the same origin and
 * connects again by itself when the server ends the stream.
 */
export function useLiveEvents(orgId: string, onChange: (event: MessageEvent<string>) => void): void {
  useEffect(() => {
    let source: EventSource | undefined;
    let stopped = false;
    void eventsUrl(orgId).then((url) => {
      if (stopped) return;
      source = new EventSource(url);
      source.addEventListener('trigger', onChange);
      source.addEventListener('delivery', onChange);
    });
    return () => {
      stopped = true;
      source?.close();
    };
  }, [orgId, onChange]);
}
