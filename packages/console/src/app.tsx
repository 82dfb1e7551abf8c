import type { AdminSession } from '@autofacilitate/client';
import { useEffect, useState } from 'preact/hooks';
import { admin, problemOf } from './api';
import { ServicesPage } from './pages/services-page';
import { SignIn } from './pages/sign-in';
import { TriggerPage } from './pages/trigger-page';
import { TriggersPage } from './pages/triggers-page';
import { useRoute } from './route';

/** The console: the sign-in until there is a session, then the organisation's pages. */
export function App() {
  const [session, setSession] = useState<AdminSession | null | undefined>(undefined);
  const [orgId, setOrgId] = useState<string | undefined>(undefined);
  const route = useRoute();

  useEffect(() => {
    // A session cookie from before a reload carries on; without one the server answers 401.
    admin.getAdminSession().then(setSession, () => setSession(null));
  }, []);
  useEffect(() => setOrgId(session?.organisations[0]), [session]);

  if (session === undefined) return <main class="loading">Loading…</main>;
  if (session === null) return <SignIn onSignedIn={setSession} />;

  const signOut = async () => {
    try {
      await admin.signOutAdminSession({ xAutofacilitateConsole: '1' });
    } catch (error) {
      console.warn(await problemOf(error));
    }
    setSession(null);
  };

  return (
    <>
      <header class="bar">
        <nav aria-label="Console">
          <a href="#/triggers" aria-current={route.page !== 'services' ? 'page' : undefined}>
            Triggers
          </a>
          <a href="#/services" aria-current={route.page === 'services' ? 'page' : undefined}>
            Services
          </a>
        </nav>
        {session.organisations.length > 1 && (
          <label>
            Organisation{' '}
            <select value={orgId} onChange={(event) => setOrgId(event.currentTarget.value)}>
              {session.organisations.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
        )}
        <span class="who">
          {session.name}
          {session.organisations.length === 1 && ` · ${session.organisations[0]}`}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {orgId === undefined ? (
          <p>This admin reaches no organisation.</p>
        ) : route.page === 'trigger' ? (
          <TriggerPage orgId={orgId} triggerUUID={route.triggerUUID} />
        ) : route.page === 'services' ? (
          <ServicesPage orgId={orgId} />
        ) : (
          <TriggersPage orgId={orgId} />
        )}
      </main>
    </>
  );
}
