import { AuthError, ServerError, TimeoutError } from '@autofacilitate/sdk';
import {
  API_KEY,
  CLIENT_ID,
  CLIENT_SECRET,
  HANG,
  TOKEN,
  empty,
  errorResponse,
  json,
  networkError,
  tokenReply,
} from './support/fake-api';
import { makeClient, rejection, settle } from './support/make-client';

const BASIC = `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`;

describe('the token request', () => {
  test('is a form-encoded client-credentials grant with HTTP Basic client authentication', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName'));

    const [token] = api.seen('token');
    expect(token?.method).toBe('POST');
    expect(token?.url).toBe('https://api.test/tokenservice/oauth2/access_token');
    expect(token?.headers.get('authorization')).toBe(BASIC);
    expect(token?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'autofacilitateapi',
    });
  });

  test('goes to tokenUrl when given, whatever its path', async () => {
    const { api, clock, client } = makeClient({ tokenUrl: 'https://id.test/oauth/token' });
    await clock.run(client.execute('ServerName'));
    expect(api.seen('token')[0]?.url).toBe('https://id.test/oauth/token');
  });

  test('every API call carries Authorization: Bearer and x-api-key', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName'));
    await clock.run(client.getResult('ServerName', '1234'));

    for (const request of [...api.seen('execute'), ...api.seen('result')]) {
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.get('x-api-key')).toBe(API_KEY);
    }
    expect(api.seen('token')[0]?.headers.get('x-api-key')).toBeNull();
  });
});

describe('the token cache', () => {
  test('100 concurrent calls share one token request', async () => {
    const { api, clock, client } = makeClient();
    const calls = Array.from({ length: 100 }, (_, index) => client.getResult('ServerName', String(index)));
    await clock.run(Promise.all(calls));

    expect(api.seen('token')).toHaveLength(1);
    expect(api.seen('result')).toHaveLength(100);
  });

  test('keeps the token until shortly before it expires, then fetches a new one', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(3600, 'first'), tokenReply(3600, 'second'));

    await clock.run(client.getResult('ServerName', '1'));
    clock.advance(3600_000 - 60_000 - 1); // one ms before the refresh point
    await clock.run(client.getResult('ServerName', '2'));
    clock.advance(1);
    await clock.run(client.getResult('ServerName', '3'));

    expect(api.seen('token')).toHaveLength(2);
    expect(api.seen('result').map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer first',
      'Bearer first',
      'Bearer second',
    ]);
  });

  test('refreshes a short-lived token a tenth of its lifetime early', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(100, 'short'), tokenReply(100, 'next'));
    await clock.run(client.getResult('ServerName', '1'));
    clock.advance(89_999);
    await clock.run(client.getResult('ServerName', '2'));
    clock.advance(1);
    await clock.run(client.getResult('ServerName', '3'));
    expect(api.seen('token')).toHaveLength(2);
  });

  test('a token request that fails is not cached: the next call asks again', async () => {
    const { api, clock, client } = makeClient({ retry: false });
    api.script('token', errorResponse(500));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toBeInstanceOf(ServerError);
    await clock.run(client.getResult('ServerName', '1'));
    expect(api.seen('token')).toHaveLength(2);
  });
});

describe('a 401 from the API', () => {
  test('forces one refresh and one retry, even for execute', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(3600, 'stale'), tokenReply(3600, 'fresh'));
    api.script('execute', empty(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }));

    const result = await clock.run(client.execute('ServerName', { key: 'value' }));

    expect(result.triggerUUID).toBe('1234');
    expect(api.seen('token')).toHaveLength(2);
    expect(api.seen('execute').map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer stale',
      'Bearer fresh',
    ]);
  });

  test('a second 401 is an AuthError with the challenge, and nothing more is tried', async () => {
    const { api, clock, client } = makeClient();
    const challenge = 'Bearer realm="autofacilitate", error="invalid_token"';
    api.script('result', empty(401, { 'WWW-Authenticate': challenge }), empty(401, { 'WWW-Authenticate': challenge }));

    const error = await clock.run(rejection(client.getResult('ServerName', '1')));

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, code: 401, wwwAuthenticate: challenge, operation: 'getTriggerResult' });
    expect(api.seen('result')).toHaveLength(2);
    expect(api.seen('token')).toHaveLength(2);
  });

  test('many concurrent 401s for the same token cause one refresh', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(3600, 'stale'), tokenReply(3600, 'fresh'));
    api.script('result', ...Array.from({ length: 10 }, () => empty(401)));
    await clock.run(
      Promise.all(Array.from({ length: 10 }, (_, index) => client.getResult('ServerName', String(index)))),
    );
    expect(api.seen('token')).toHaveLength(2);
    expect(api.seen('result')).toHaveLength(20);
  });

  test('a late 401 for an old token does not throw away the new one', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(3600, 'stale'), tokenReply(3600, 'fresh'));
    let answerLate: (response: Response) => void = () => undefined;
    api.script('result', empty(401), new Promise<Response>((resolve) => (answerLate = resolve)));
    const early = client.getResult('ServerName', 'early');
    const late = client.getResult('ServerName', 'late');

    await clock.run(early); // 401, new token, retried with it
    answerLate(empty(401)); // the late call's stale token is refused only now
    await clock.run(late);

    expect(api.seen('token')).toHaveLength(2);
    expect(api.seen('result').map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer stale',
      'Bearer stale',
      'Bearer fresh',
      'Bearer fresh',
    ]);
  });

  test('a 403 is an AuthError at once: a new token would not change it', async () => {
    const { api, clock, client } = makeClient();
    api.script('result', errorResponse(403));
    await expect(clock.run(client.getResult('ServerName', '1'))).rejects.toMatchObject({
      name: 'AuthError',
      status: 403,
    });
    expect(api.seen('token')).toHaveLength(1);
    expect(api.seen('result')).toHaveLength(1);
  });
});

describe('token service errors', () => {
  test.each([
    [401, 'invalid_client', 'Client authentication failed'],
    [400, 'invalid_scope', 'The scope must be autofacilitateapi'],
    [400, 'unauthorized_client', undefined],
  ])('%i %s is an AuthError carrying the RFC 6749 error code', async (status, code, description) => {
    const { api, clock, client } = makeClient();
    api.script(
      'token',
      json(
        status,
        { error: code, ...(description ? { error_description: description } : {}) },
        { 'WWW-Authenticate': 'Basic realm="autofacilitate"' },
      ),
    );

    const error = await clock.run(rejection(client.execute('ServerName')));

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      status,
      oauthError: code,
      oauthErrorDescription: description,
      operation: 'getAccessToken',
    });
    expect((error as Error).message).toContain(code);
    expect(api.seen('execute')).toHaveLength(0);
    expect(api.seen('token')).toHaveLength(1);
  });

  test('a token service that fails transiently is retried: asking for a token starts nothing', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', errorResponse(503), networkError('ECONNRESET'));
    await clock.run(client.execute('ServerName'));
    expect(api.seen('token')).toHaveLength(3);
    expect(api.seen('execute')).toHaveLength(1);
  });

  test('a token service that cannot check the client says so: a ServerError carrying its RFC 6749 code, retried', async () => {
    const { api, clock, client } = makeClient({ retry: { maxRetries: 1 } });
    const unavailable = () =>
      json(
        503,
        { error: 'temporarily_unavailable', error_description: 'The failed authentications could not be checked' },
        { 'Retry-After': '1' },
      );
    api.script('token', unavailable(), unavailable());

    const error = await clock.run(rejection(client.execute('ServerName')));

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 503,
      oauthError: 'temporarily_unavailable',
      oauthErrorDescription: 'The failed authentications could not be checked',
      operation: 'getAccessToken',
      message: 'The token service failed: temporarily_unavailable (The failed authentications could not be checked)',
    });
    expect(api.seen('token')).toHaveLength(2);
    expect(api.seen('execute')).toHaveLength(0);
  });

  test.each([
    [{ token_type: 'Bearer', expires_in: 3600 }, /without an access_token/],
    [{ access_token: 'x', token_type: 'mac', expires_in: 3600 }, /type mac/],
  ])('an unusable token answer (%j) is refused plainly', async (body, message) => {
    const { api, clock, client } = makeClient();
    api.script('token', json(200, body));
    await expect(clock.run(client.execute('ServerName'))).rejects.toThrow(message);
  });
});

describe('callers of a shared token request', () => {
  test('one giving up does not stop it for the others', async () => {
    const { api, clock, client } = makeClient();
    let release: (response: Response) => void = () => undefined;
    api.script('token', new Promise<Response>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const first = client.getResult('ServerName', '1', { signal: controller.signal });
    const second = client.getResult('ServerName', '2');
    await settle();

    controller.abort(new Error('caller gave up'));
    await expect(first).rejects.toThrow('caller gave up');
    expect(api.seen('token')[0]?.signal?.aborted).toBe(false);

    release(tokenReply());
    await expect(clock.run(second)).resolves.toMatchObject({ status: 'succeeded', triggerUUID: '2' });
    expect(api.seen('token')).toHaveLength(1);
  });

  test('when every caller gives up, the token request is aborted', async () => {
    const { api, client } = makeClient();
    api.script('token', HANG);
    const controllers = [new AbortController(), new AbortController()];
    const calls = controllers.map((controller, index) =>
      client.getResult('ServerName', String(index), { signal: controller.signal }),
    );
    await settle();

    controllers[0]?.abort(new Error('gave up'));
    await expect(calls[0]).rejects.toThrow('gave up');
    expect(api.seen('token')[0]?.signal?.aborted).toBe(false);
    controllers[1]?.abort(new Error('gave up too'));
    await expect(calls[1]).rejects.toThrow('gave up too');
    expect(api.seen('token')[0]?.signal?.aborted).toBe(true);
  });

  test('the deadline covers the token request', async () => {
    const { api, clock, client } = makeClient({ timeoutMs: 5_000 });
    api.script('token', HANG);
    const error = await clock.run(rejection(client.execute('ServerName')));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 5_000, operation: 'executeService' });
    expect(api.seen('execute')).toHaveLength(0);
  });
});

describe('getAccessToken', () => {
  test('hands out the cached token with its expiry', async () => {
    const { api, clock, client } = makeClient();
    const first = await clock.run(client.getAccessToken());
    const second = await clock.run(client.getAccessToken());
    expect(first).toEqual({
      accessToken: TOKEN,
      tokenType: 'Bearer',
      expiresAt: new Date(clock.now() + 3600_000),
      scope: 'autofacilitateapi',
    });
    expect(second).toEqual(first);
    expect(api.seen('token')).toHaveLength(1);
  });

  test('forceRefresh fetches a new one, which later calls then use', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(3600, 'one'), tokenReply(3600, 'two'));
    await clock.run(client.getAccessToken());
    const refreshed = await clock.run(client.getAccessToken({ forceRefresh: true }));
    await clock.run(client.getResult('ServerName', '1'));
    expect(refreshed.accessToken).toBe('two');
    expect(api.seen('result')[0]?.headers.get('authorization')).toBe('Bearer two');
  });

  test('with headers, asks the token service directly with them and caches nothing', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', tokenReply(3600, 'direct'), tokenReply(3600, 'cached'));
    const direct = await clock.run(client.getAccessToken({ headers: { Prefer: 'code=200' } }));
    await clock.run(client.getResult('ServerName', '1'));
    expect(direct.accessToken).toBe('direct');
    expect(api.seen('token')[0]?.headers.get('prefer')).toBe('code=200');
    expect(api.seen('token')[0]?.headers.get('authorization')).toBe(BASIC);
    expect(api.seen('result')[0]?.headers.get('authorization')).toBe('Bearer cached');
  });

  test('a missing expires_in is read as five minutes', async () => {
    const { api, clock, client } = makeClient();
    api.script('token', json(200, { access_token: 'a', token_type: 'bearer' }));
    const token = await clock.run(client.getAccessToken());
    expect(token.expiresAt).toEqual(new Date(clock.now() + 300_000));
  });
});
