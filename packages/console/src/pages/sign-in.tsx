import type { AdminSession } from '@autofacilitate/client';
import { useState } from 'preact/hooks';
import { admin, problemOf } from '../api';

/** Signs in with an admin key; the server answers with a cookie the page never sees. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: AdminSession) => void }) {
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const adminKey = new FormData(form).get('adminKey') as string;
    setBusy(true);
    try {
      const session = await admin.signInAdminSession({ xAutofacilitateConsole: '1', adminSignIn: { adminKey } });
      form.reset();
      onSignedIn(session);
    } catch (error) {
      setProblem(await problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>AutoFacilitate console</h1>
      <form onSubmit={submit}>
        <label for="admin-key">Admin key</label>
        <input id="admin-key" name="adminKey" type="password" autocomplete="off" required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {problem && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}
