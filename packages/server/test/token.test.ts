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
    const answer = await requestToken(
      server.url,
      { ...grant, scope: 'autofacilitateapi' },
      { authorization: acmeBasic() },
    );
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
    const answer = await requestToken(server.url, {
      ...grant,
      client_id: 'acme-client',
      client_secret: secrets.acmeClient,
    });
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
    [
      'Basic credentials without a colon',
      {},
      { authorization: `Basic ${Buffer.from('acme-client').toString('base64')}` },
    ],
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
    [
      'unsupported_grant_type',
      'another grant',
      { grant_type: 'password' },
      'Only the client_credentials grant is supported',
    ],
    ['invalid_scope', 'another scope', { ...grant, scope: 'admin' }, 'The scope must be autofacilitateapi'],
    [
      'invalid_scope',
      'an extra scope',
      { ...grant, scope: 'autofacilitateapi admin' },
      'The scope must be autofacilitateapi',
    ],
    // The spec's enum: exactly autofacilitateapi, or no scope at all.
    ['invalid_scope', 'an empty scope', { ...grant, scope: '' }, 'The scope must be autofacilitateapi'],
    [
      'invalid_scope',
      'the scope twice',
      { ...grant, scope: 'autofacilitateapi autofacilitateapi' },
      'The scope must be autofacilitateapi',
    ],
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
    expect(answer.json).toEqual({
      error: 'invalid_request',
      error_description: 'The request must be application/x-www-form-urlencoded',
    });
  });
});

describe('credential guessing', () => {
  let guarded: TestServer;

  beforeAll(async () => {
    guarded = await startTestServer((raw) => {
      raw.workers.enabled = false;
      // Addresses from X-Forwarded-For, so that one test can speak from several.
      raw.server.trustProxy = true;
      raw.limits = { failedAuthentications: { perSecond: 0.01, burst: 3 } };
    });
  });

  afterAll(() => guarded.close());

  const ask = (clientId: string, secret: string, address: string) =>
    requestToken(
      guarded.url,
      { grant_type: 'client_credentials' },
      { authorization: basic(clientId, secret), 'x-forwarded-for': address },
    );

  test('one client id guessed from many addresses: 429 with Retry-After after its failures, while another client id still gets its token', async () => {
    const answers = [];
    for (let attempt = 0; attempt < 5; attempt++)
      answers.push(await ask('acme-client', `guess-${attempt}`, `203.0.113.${attempt}`));
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 429, 429]);
    const throttled = answers[3]!;
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(throttled.json).toEqual({
      error: 'slow_down',
      error_description: 'Too many failed client authentications: try again later',
    });
    expect(throttled.headers.get('x-request-id')).toEqual(expect.any(String));
    // Even the right secret waits, from the guessed client id; another client is not held up.
    expect((await ask('acme-client', secrets.acmeClient, '198.51.100.1')).status).toBe(429);
    expect((await ask('globex-client', secrets.globexClient, '198.51.100.1')).status).toBe(200);
  });

  test('one address guessing many client ids: 429 after its failures, while another address still gets its token', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt++)
      statuses.push((await ask(`nobody-${attempt}`, 'guess', '192.0.2.9')).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await ask('globex-client', secrets.globexClient, '192.0.2.10')).status).toBe(200);
  });
});
