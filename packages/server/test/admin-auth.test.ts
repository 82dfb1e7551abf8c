import { execute, type Caller } from './support/api-client';
import { admin } from './support/admin-client';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

// Who reaches the admin operations: an organisation's admin key its own organisation only, an
// operator key every one, the credentials of execute none; and an admin key never executes.

let server: TestServer;
let acme: Caller;
let acmeTrigger: string;
let globexTrigger: string;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.acme();
  acmeTrigger = (await execute(server.url, 'acme', 'echo', acme, { triggerParameters: { who: 'acme' } })).json
    .triggerUUID;
  globexTrigger = (
    await execute(server.url, 'globex', 'echo', await server.globex(), { triggerParameters: { secret: 'globex' } })
  ).json.triggerUUID;
  await server.finished('globex', globexTrigger);
});

afterAll(() => server?.close());

const everyOperation = (triggerUUID: string) => [
  ['GET', '/triggers'],
  ['GET', `/triggers/${triggerUUID}`],
  ['POST', `/triggers/${triggerUUID}/deliveries/1/resend`],
  ['GET', '/services'],
  ['GET', '/usage'],
  ['GET', '/events'],
];

test.each(everyOperation('00000000-0000-4000-8000-000000000001'))(
  '%s %s: no admin key or an unknown one answers 401, an access token of execute 403, in the ErrorResponse shape',
  async (method, path) => {
    const missing = await admin(server.url, 'acme', path, undefined, { method });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="autofacilitate-admin"');
    expect(missing.json).toEqual({
      code: '401',
      message: 'Unauthorized',
      errors: [{ scope: 'header.Authorization', reason: 'Unauthorized', message: 'An admin key is required' }],
    });
    const unknown = await admin(server.url, 'acme', path, 'no-such-admin-key', { method });
    expect([unknown.status, unknown.json.errors[0].message]).toEqual([401, 'The admin key is unknown']);
    const malformed = await admin(server.url, 'acme', path, undefined, {
      method,
      headers: { authorization: 'Basic eA==' },
    });
    expect(malformed.status).toBe(401);
    // The API key is no admin key either.
    expect((await admin(server.url, 'acme', path, secrets.acmeKey, { method })).status).toBe(401);

    const token = await admin(server.url, 'acme', path, acme.token, { method, headers: { 'x-api-key': acme.apiKey! } });
    expect(token.status).toBe(403);
    expect(token.json.errors).toEqual([
      {
        scope: 'header.Authorization',
        reason: 'Forbidden',
        message: 'Admin operations need an admin key, not an access token',
      },
    ]);
  },
);

test("an organisation's admin gets 404 for another organisation, and for its triggers, never their data", async () => {
  const elsewhere = await admin(server.url, 'globex', '/triggers', secrets.acmeAdmin);
  expect(elsewhere.status).toBe(404);
  expect(elsewhere.json.errors[0]).toEqual({
    scope: 'path.orgId',
    reason: 'Not found',
    message: 'Organisation globex not found',
  });
  for (const path of [`/triggers/${globexTrigger}`, `/triggers/${globexTrigger}/deliveries/1/resend`]) {
    const method = path.endsWith('/resend') ? 'POST' : 'GET';
    const answer = await admin(server.url, 'acme', path, secrets.acmeAdmin, { method });
    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain('globex');
  }
  const listed = await admin(server.url, 'acme', '/triggers', secrets.acmeAdmin);
  expect(listed.json.triggers.map((trigger: { triggerUUID: string }) => trigger.triggerUUID)).toEqual([acmeTrigger]);
  for (const path of ['/services', '/usage', '/events']) {
    expect((await admin(server.url, 'globex', path, secrets.acmeAdmin)).status).toBe(404);
  }
});

test('an operator sees every organisation; an organisation the server lacks is not found', async () => {
  const globex = await admin(server.url, 'globex', `/triggers/${globexTrigger}`, secrets.operator);
  expect(globex.status).toBe(200);
  expect(globex.json).toMatchObject({ triggerUUID: globexTrigger, triggerParameters: { secret: 'globex' } });
  expect((await admin(server.url, 'acme', '/triggers', secrets.operator)).json.triggers).toHaveLength(1);
  expect((await admin(server.url, 'initech', '/triggers', secrets.operator)).status).toBe(404);
  expect((await admin(server.url, 'globex', '/triggers', secrets.globexAdmin)).status).toBe(200);
});

test('an admin key is no access token: execute and result answer it 401', async () => {
  for (const key of [secrets.acmeAdmin, secrets.operator]) {
    const answer = await execute(server.url, 'acme', 'echo', { token: key, apiKey: secrets.acmeKey }, {});
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  }
});
