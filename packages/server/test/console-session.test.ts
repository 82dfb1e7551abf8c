import { execute } from './support/api-client';
import { admin, adminUrl } from './support/admin-client';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

// The console's session over real HTTP: an admin key traded for an HttpOnly, SameSite=Strict
// cookie the admin operations accept, and the CSRF rule: a request the cookie authenticates that
// changes state is refused (403) without the console's header, or from another site or origin.

let server: TestServer;
let triggerUUID: string;
let deliveryId: number;

beforeAll(async () => {
  // Deliveries stay pending (never attempted), so that a resend never meets one in flight.
  server = await startTestServer((raw) => (raw.callbacks.enabled = false));
  const acme = await server.acme();
  triggerUUID = (
    await execute(server.url, 'acme', 'echo', acme, {
      triggerParameters: { who: 'acme' },
      callbackUrls: ['https://receiver.example/cb'],
    })
  ).json.triggerUUID;
  await server.finished('acme', triggerUUID);
  deliveryId = (await admin(server.url, 'acme', `/triggers/${triggerUUID}`, secrets.acmeAdmin)).json.deliveries[0]
    .deliveryId;
});

afterAll(() => server?.close());

const session = (init: RequestInit & { headers?: Record<string, string> }) =>
  fetch(`${server.url}/admin/v1/session`, init);
const consoleHeader = { 'x-autofacilitate-console': '1' };

async function signIn(adminKey: string): Promise<string> {
  const answer = await session({
    method: 'POST',
    headers: { ...consoleHeader, 'content-type': 'application/json' },
    body: JSON.stringify({ adminKey }),
  });
  expect(answer.status).toBe(200);
  return answer.headers.get('set-cookie')!.split(';')[0]!;
}

const resend = (cookie: string, headers: Record<string, string> = {}) =>
  fetch(adminUrl(server.url, 'acme', `/triggers/${triggerUUID}/deliveries/${deliveryId}/resend`), {
    method: 'POST',
    headers: { cookie, ...headers },
  });

test('sign-in sets an HttpOnly, SameSite=Strict cookie scoped to the admin API and answers the session', async () => {
  const answer = await session({
    method: 'POST',
    headers: { ...consoleHeader, 'content-type': 'application/json' },
    body: JSON.stringify({ adminKey: secrets.acmeAdmin }),
  });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ name: 'ops', organisations: ['acme'], expiresAt: expect.any(String) });
  const cookie = answer.headers.get('set-cookie')!;
  expect(cookie).toMatch(
    /^autofacilitate_admin_session=[A-Za-z0-9_-]{43}; Path=\/admin\/v1; HttpOnly; SameSite=Strict$/,
  );
  // The cookie is a session of the server's, not the key.
  expect(cookie).not.toContain(secrets.acmeAdmin);

  const operator = await signIn(secrets.operator);
  const shown = await session({ headers: { cookie: operator } });
  expect(await shown.json()).toMatchObject({ name: 'root', operator: true, organisations: ['acme', 'globex'] });
});

test('sign-in refuses a forged request (403), an unknown key (401), a malformed body (400) and another media type (415), in the ErrorResponse shape', async () => {
  const body = JSON.stringify({ adminKey: secrets.acmeAdmin });
  const forged = await session({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(forged.status).toBe(403);
  expect(await forged.json()).toEqual({
    code: '403',
    message: 'Forbidden',
    errors: [
      {
        scope: 'header.x-autofacilitate-console',
        reason: 'Forbidden',
        message: 'The request must carry x-autofacilitate-console: 1',
      },
    ],
  });
  const unknown = await session({
    method: 'POST',
    headers: { ...consoleHeader, 'content-type': 'application/json' },
    body: JSON.stringify({ adminKey: 'no-such-key' }),
  });
  expect([unknown.status, (await unknown.json()).errors[0].scope]).toEqual([401, 'body.adminKey']);
  const malformed = await session({
    method: 'POST',
    headers: { ...consoleHeader, 'content-type': 'application/json' },
    body: '{"key":"x"}',
  });
  expect(malformed.status).toBe(400);
  expect(await malformed.json()).toMatchObject({ code: '400', errors: [expect.any(Object)] });
  // No body at all, as Schemathesis found: 400, never a 500.
  const empty = await session({ method: 'POST', headers: consoleHeader });
  expect(empty.status).toBe(400);
  expect((await empty.json()).errors[0]).toEqual({
    scope: 'body',
    reason: 'Invalid request',
    message: 'The request body is empty',
  });
  // JSON in another media type, as Schemathesis sent it: 415, never read as text.
  const text = await session({
    method: 'POST',
    headers: { ...consoleHeader, 'content-type': 'text/plain' },
    body: JSON.stringify({ adminKey: secrets.acmeAdmin }),
  });
  expect([text.status, text.headers.get('set-cookie')]).toEqual([415, null]);
  expect((await text.json()).errors[0]).toEqual({
    scope: 'body',
    reason: 'Unsupported Media Type',
    message: 'Send the body as application/json',
  });
});

test('the cookie reads without proof of origin, but a resend it authenticates needs the console header and the same origin', async () => {
  const cookie = await signIn(secrets.acmeAdmin);
  const listed = await fetch(adminUrl(server.url, 'acme', '/triggers'), { headers: { cookie } });
  expect(listed.status).toBe(200);
  expect((await listed.json()).triggers[0].triggerUUID).toBe(triggerUUID);

  const withoutHeader = await resend(cookie);
  expect(withoutHeader.status).toBe(403);
  expect((await withoutHeader.json()).errors[0]).toEqual({
    scope: 'header.x-autofacilitate-console',
    reason: 'Forbidden',
    message: 'The request must carry x-autofacilitate-console: 1',
  });
  const crossSite = await resend(cookie, { ...consoleHeader, 'sec-fetch-site': 'cross-site' });
  expect([crossSite.status, (await crossSite.json()).errors[0].scope]).toEqual([403, 'header.Sec-Fetch-Site']);
  const otherOrigin = await resend(cookie, { ...consoleHeader, origin: 'https://evil.example' });
  expect([otherOrigin.status, (await otherOrigin.json()).errors[0].message]).toEqual([
    403,
    'The request comes from another origin (https://evil.example)',
  ]);

  const sameOrigin = await resend(cookie, { ...consoleHeader, origin: server.url, 'sec-fetch-site': 'same-origin' });
  expect(sameOrigin.status).toBe(202);
  expect(await sameOrigin.json()).toMatchObject({ deliveryId, status: 'pending' });
  // An admin key in Authorization is no ambient credential: it needs no proof.
  expect(
    (
      await admin(server.url, 'acme', `/triggers/${triggerUUID}/deliveries/${deliveryId}/resend`, secrets.acmeAdmin, {
        method: 'POST',
      })
    ).status,
  ).toBe(202);
});

test("a session reaches its organisation only: another organisation's answers 404", async () => {
  const cookie = await signIn(secrets.acmeAdmin);
  const elsewhere = await fetch(adminUrl(server.url, 'globex', '/triggers'), { headers: { cookie } });
  expect(elsewhere.status).toBe(404);
  expect((await elsewhere.json()).errors[0].scope).toBe('path.orgId');
});

test('sign-out needs the proof too, ends the session on the server and clears the cookie', async () => {
  const cookie = await signIn(secrets.acmeAdmin);
  const forged = await session({ method: 'DELETE', headers: { cookie } });
  expect(forged.status).toBe(403);
  expect((await forged.json()).errors[0].reason).toBe('Forbidden');
  expect((await session({ headers: { cookie } })).status).toBe(200);

  const signedOut = await session({ method: 'DELETE', headers: { cookie, ...consoleHeader } });
  expect(signedOut.status).toBe(204);
  expect(signedOut.headers.get('set-cookie')).toMatch(
    /^autofacilitate_admin_session=; Path=\/admin\/v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
  );
  // The browser's copy of the cookie, had it kept one, admits nobody any more.
  const after = await session({ headers: { cookie } });
  expect(after.status).toBe(401);
  expect((await after.json()).errors[0]).toEqual({
    scope: 'cookie.autofacilitate_admin_session',
    reason: 'Unauthorized',
    message: 'The console session is missing, expired or signed out',
  });
  expect((await fetch(adminUrl(server.url, 'acme', '/triggers'), { headers: { cookie } })).status).toBe(401);
  expect((await session({ method: 'DELETE', headers: { cookie, ...consoleHeader } })).status).toBe(401);
});

test('the console is served at /console/ with a strict Content-Security-Policy', async () => {
  const redirect = await fetch(`${server.url}/console`, { redirect: 'manual' });
  expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/console/']);
  const page = await fetch(`${server.url}/console/`);
  expect(page.status).toBe(200);
  const policy = page.headers.get('content-security-policy')!;
  for (const directive of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
    expect(policy).toContain(directive);
  expect(policy).not.toContain('unsafe-inline');
  const html = await page.text();
  // Every script is a file of the console's own, none inline.
  expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  // The entry page is asked for again each time; the hashed files it names are kept for good.
  expect(page.headers.get('cache-control')).toBe('no-cache');
  const script = html.match(/src="(\/console\/assets\/index-[\w-]+\.js)"/)![1];
  const asset = await fetch(`${server.url}${script}`);
  expect([asset.status, asset.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
});
