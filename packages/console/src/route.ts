import { useEffect, useState } from 'preact/hooks';

/** Where the console is: its pages live in the URL's fragment, so the server serves one page. */
export type Route = { page: 'triggers' } | { page: 'trigger'; triggerUUID: string } | { page: 'services' };

export function routeOf(hash: string): Route {
  const [, page, triggerUUID] = hash.replace(/^#/, '').split('/');
  if (page === 'services') return { page: 'services' };
  if (page === 'triggers' && triggerUUID) return { page: 'trigger', triggerUUID: decodeURIComponent(triggerUUID) };
  return { page: 'triggers' };
}

export const triggerHref = (triggerUUID: string) => `#/triggers/${encodeURIComponent(triggerUUID)}`;

/** The current route, following the fragment as links and the back button change it. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}
