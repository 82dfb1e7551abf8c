import { call, type Answer } from './api-client';

/** An admin operation's URL: `path` under the organisation's admin prefix. */
export function adminUrl(baseUrl: string, orgId: string, path: string): string {
  return `${baseUrl}/admin/v1/organizations/${encodeURIComponent(orgId)}${path}`;
}

/** Calls an admin operation with a bearer credential (an admin key, or whatever a test tries). */
export function admin(
  baseUrl: string,
  orgId: string,
  path: string,
  key: string | undefined,
  init: RequestInit = {},
): Promise<Answer> {
  return call(adminUrl(baseUrl, orgId, path), {
    ...init,
    headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...init.headers },
  });
}

/** One server-sent event. */
export interface StreamEvent {
  id: string;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/** An open admin event stream, read as it comes. */
export interface EventStream {
  status: number;
  headers: Headers;
  /** Resolves with the first event, from the start of the stream, that `matches`. */
  next(matches: (event: StreamEvent) => boolean): Promise<StreamEvent>;
  /** Resolves once the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens the admin event stream and resolves once the server said it is open (its `: open`
 * comment): from then on, every change is on it.
 */
export async function openEventStream(baseUrl: string, orgId: string, key: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(adminUrl(baseUrl, orgId, '/events'), {
    headers: { authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const read = async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (block.includes(': open')) opened();
        const field = (name: string) => block.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (data !== undefined) events.push({ id: field('id')!, event: field('event')!, data: JSON.parse(data) });
      }
      for (const waiter of [...waiters]) waiter();
    }
  };
  const ended = read().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  if (response.status === 200) await open;
  return {
    status: response.status,
    headers: response.headers,
    ended,
    close: () => controller.abort(),
    next: (matches) =>
      new Promise((resolve) => {
        const check = () => {
          const found = events.find(matches);
          if (!found) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
  };
}
