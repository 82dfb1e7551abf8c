import { basic, call, requestToken } from './support/api-client';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(() => server.close());

const grant = { grant_type: 'client_credentials' };
const acmeBasic = () => basic('acme-client', secrets.acmeClient);

function expectNoStore(headers: Headers) {
  expect(headers.get('cache-control')).toBe('no-store');
  expect(headers.get('pragma')).toBe('no-cache');
}

describe('200: a token', () => {
  test('for a client authenticated by HTTP Basic', async () => {
    const answer = await requestToken(server.url, { ...grant, scope: 'autofacilitateapi' }, { authorization: acmeBasic() });
    expect(answer.status).toBe(200);
    expectNoStore(answer.headers);
    expect(answer.json).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'autofacilitateapi',
    });
  });

  test('for a client authenticated by form fields, the scope granted when none is asked', async () => {
    const answer = await requestToken(server.url, { ...grant, client_id: 'acme-client', client_secret: secrets.acmeClient });
    expect(answer.status).toBe(200);
    expect(answer.json.scope).toBe('autofacilitateapi');
  });

  test('a fresh token every time', async () => {
    const first = await requestToken(server.url, grant, { authorization: acmeBasic() });
    const second = await requestToken(server.url, grant, { authorization: acmeBasic() });
    expect(first.json.access_token).not.toBe(second.json.access_token);
  });

  test('that only its hash is stored', async () => {
    const answer = await requestToken(server.url, grant, { authorization: acmeBasic() });
    expect(await server.server.store.tokens.findToken(answer.json.access_token, Date.now())).toBeUndefined();
  });
});

describe('401 invalid_client, with a Basic challenge', () => {
  test.each([
    ['no client authentication', {}, {}],
    ['a wrong secret', {}, { authorization: basic('acme-client', 'wrong') }],
    ['an unknown client', {}, { authorization: basic('nobody', secrets.acmeClient) }],
    ['Basic credentials without a colon', {}, { authorization: `Basic ${Buffer.from('acme-client').toString('base64')}` }],
    ['another scheme', {}, { authorization: 'Bearer abc' }],
    ['a client id without a secret in the form', { client_id: 'acme-client' }, {}],
  ])('%s', async (_case, form: Record<string, string>, headers: Record<string, string>) => {
    const answer = await requestToken(server.url, { ...grant, ...form }, headers);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="autofacilitate"');
    expectNoStore(answer.headers);
    expect(answer.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });
});

describe('400, RFC 6749 §5.2', () => {
  test.each([
    ['invalid_request', 'a missing grant_type', {}, 'grant_type must have required property'],
    ['unsupported_grant_type', 'another grant', { grant_type: 'password' }, 'Only the client_credentials grant is supported'],
    ['invalid_scope', 'another scope', { ...grant, scope: 'admin' }, 'The scope must be autofacilitateapi'],
    ['invalid_scope', 'an extra scope', { ...grant, scope: 'autofacilitateapi admin' }, 'The scope must be autofacilitateapi'],
  ])('%s: %s', async (error, _case, form: Record<string, string>, description) => {
    const answer = await requestToken(server.url, form, { authorization: acmeBasic() });
    expect(answer.status).toBe(400);
    expectNoStore(answer.headers);
    expect(answer.json.error).toBe(error);
    expect(answer.json.error_description).toContain(description);
  });

  test('invalid_request: a parameter sent twice', async () => {
    const answer = await call(`${server.url}/tokenservice/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: acmeBasic() },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
  });

  test('invalid_request: both HTTP Basic and form credentials', async () => {
    const answer = await requestToken(
      server.url,
      { ...grant, client_id: 'acme-client', client_secret: secrets.acmeClient },
      { authorization: acmeBasic() },
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
  });

  test('invalid_request: a JSON body', async () => {
    const answer = await call(`${server.url}/tokenservice/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: acmeBasic() },
      body: JSON.stringify(grant),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid_request', error_description: 'The request must be application/x-www-form-urlencoded' });
  });
});
