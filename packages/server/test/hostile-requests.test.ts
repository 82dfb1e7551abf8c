import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { basic, executeUrl, resultUrl } from './support/api-client';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Any request Node can send, whatever its method, path or headers. */
function send(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode!, headers: incoming.headers, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** An answer in the API's `ErrorResponse` shape, with a request id and a body of bounded size. */
function expectErrorResponse(answer: RawAnswer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers['x-request-id']).toEqual(expect.any(String));
  // The media type the spec declares, exactly: contract checks compare it as declared.
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.text.length).toBeLessThan(1024);
  expect(JSON.parse(answer.text)).toEqual({
    code: String(status),
    message: expect.any(String),
    errors: [{ scope: expect.any(String), reason: expect.any(String), message: expect.any(String) }],
  });
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((raw) => {
    raw.workers.enabled = false;
  });
});

afterAll(() => server.close());

describe('a token request without a body', () => {
  const tokenUrl = () => `${server.url}/tokenservice/oauth2/access_token`;
  const authorization = () => basic('acme-client', secrets.acmeClient);

  test.each([
    ['no Content-Type', {}],
    ['Content-Length: 0', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' }],
  ])('is a 400 invalid_request (%s), never a 500', async (_name, headers) => {
    const answer = await send(tokenUrl(), 'POST', { authorization: authorization(), ...headers });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    expect(answer.headers['x-request-id']).toEqual(expect.any(String));
  });
});

describe('a method a documented path does not serve', () => {
  test.each([
    ['PUT', 'execute', 'POST'],
    ['DELETE', 'execute', 'POST'],
    ['PATCH', 'execute', 'POST'],
    ['OPTIONS', 'execute', 'POST'],
    ['TRACE', 'execute', 'POST'],
    ['GET', 'execute', 'POST'],
    ['POST', 'result', 'GET, HEAD'],
    ['QUERY', 'result', 'GET, HEAD'],
    ['GET', 'token', 'POST'],
    ['TRACE', 'healthz', 'GET, HEAD'],
    ['DELETE', 'metrics', 'GET, HEAD'],
  ])('%s on %s is a 405 with Allow: %s', async (method, path, allow) => {
    const urls: Record<string, string> = {
      execute: executeUrl(server.url, 'acme', 'echo'),
      result: resultUrl(server.url, 'acme', 'echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d'),
      token: `${server.url}/tokenservice/oauth2/access_token`,
      healthz: `${server.url}/healthz`,
      metrics: `${server.url}/metrics`,
    };
    const answer = await send(urls[path]!, method);
    expect(answer.headers.allow).toBe(allow);
    expectErrorResponse(answer, 405);
  });
});

describe('what the framework and the HTTP parser refuse is answered in the API shape', () => {
  test('404: a path that is not documented', async () => {
    expectErrorResponse(await send(`${server.url}/nowhere`, 'GET'), 404);
  });

  test('414: a path parameter too long, without echoing the URL', async () => {
    const answer = await send(executeUrl(server.url, 'acme', 'v'.repeat(5000)), 'POST');
    expectErrorResponse(answer, 414);
    expect(answer.text).not.toContain('vvvvvvvvvv');
  });

  test('a long percent-encoded triggerUUID the spec allows is looked up: 404, not 414', async () => {
    const triggerUUID = encodeURIComponent('Ṱ̺̺̕o͞ i̲̬͇̪͙n'.repeat(9));
    expect(triggerUUID.length).toBeGreaterThan(100);
    const answer = await send(
      `${server.url}/via/v2/organizations/acme/autoFacilitate/result/echo/triggerUUID/${triggerUUID}`,
      'GET',
      await bearer(),
    );
    expectErrorResponse(answer, 404);
  });

  test('the longest path parameter the spec allows, every character four bytes, is looked up: 404, not 414', async () => {
    // 128 characters, the spec's maxLength, percent-encoded to 1536.
    const triggerUUID = encodeURIComponent('😀'.repeat(128));
    const answer = await send(
      `${server.url}/via/v2/organizations/acme/autoFacilitate/result/echo/triggerUUID/${triggerUUID}`,
      'GET',
      await bearer(),
    );
    expectErrorResponse(answer, 404);
  });

  test('one character more than the spec allows is a 400 that says so', async () => {
    const triggerUUID = encodeURIComponent('😀'.repeat(129));
    const answer = await send(
      `${server.url}/via/v2/organizations/acme/autoFacilitate/result/echo/triggerUUID/${triggerUUID}`,
      'GET',
      await bearer(),
    );
    expectErrorResponse(answer, 400);
    expect(JSON.parse(answer.text).errors[0]).toMatchObject({
      scope: 'path.triggerUUID',
      message: 'path.triggerUUID must NOT have more than 128 characters',
    });
  });

  test('400: a broken percent-encoding', async () => {
    expectErrorResponse(await send(`${server.url}/via/v2/organizations/%zz/autoFacilitate/execute/echo`, 'POST'), 400);
  });

  test('431: headers larger than the server reads', async () => {
    expectErrorResponse(await send(`${server.url}/healthz`, 'GET', { 'x-padding': 'p'.repeat(20_000) }), 431);
  });

  test('413: a body larger than the limit', async () => {
    const caller = await server.acme();
    const body = JSON.stringify({ triggerParameters: { big: 'x'.repeat(1_100_000) } });
    const answer = await send(
      executeUrl(server.url, 'acme', 'echo'),
      'POST',
      { authorization: `Bearer ${caller.token}`, 'x-api-key': caller.apiKey!, 'content-type': 'application/json' },
      body,
    );
    expectErrorResponse(answer, 413);
  });

  test('415: a body neither JSON nor XML', async () => {
    const caller = await server.acme();
    const answer = await send(
      executeUrl(server.url, 'acme', 'echo'),
      'POST',
      { authorization: `Bearer ${caller.token}`, 'x-api-key': caller.apiKey!, 'content-type': 'text/plain' },
      'hello',
    );
    expectErrorResponse(answer, 415);
  });

  test('401: no body, a challenge and a request id', async () => {
    const answer = await send(
      executeUrl(server.url, 'acme', 'echo'),
      'POST',
      { 'content-type': 'application/json' },
      '{}',
    );
    expect(answer.status).toBe(401);
    expect(answer.text).toBe('');
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(answer.headers['x-request-id']).toEqual(expect.any(String));
  });
});

describe('callback URLs decided at execute', () => {
  test.each(['http://localhost/cb', 'http://LOCALHOST.:8080/cb', 'https://hooks.localhost/cb'])(
    '%s is a 422 that says how to allow it, as 127.0.0.1 is',
    async (url) => {
      const answer = await send(
        executeUrl(server.url, 'acme', 'echo'),
        'POST',
        { ...(await bearer()), 'content-type': 'application/json' },
        JSON.stringify({ callbackUrls: [url] }),
      );
      expectErrorResponse(answer, 422);
      expect(JSON.parse(answer.text).errors[0].message).toMatch(
        /is always the loopback address \(127\.0\.0\.1 is a loopback address\): callbacks\.allow must list 127\.0\.0\.1\/32/,
      );
    },
  );
});

describe('special-use names decided at execute', () => {
  test.each([
    [
      'http://printer.local/cb',
      /printer\.local names a host of a private network, and callbacks\.allow lists no private range/,
    ],
    ['https://hooks.home.arpa/cb', /hooks\.home\.arpa names a host of a private network/],
    ['http://api.internal:8080/cb', /api\.internal names a host of a private network/],
    ['http://nowhere.invalid/cb', /nowhere\.invalid never resolves \(RFC 6761 §6\.4\)/],
    ['http://[::1]/cb', /::1 is a loopback address: callbacks\.allow must list ::1\/128 to call it/],
    ['http://192.168.1.20/cb', /192\.168\.1\.20 is a private address: callbacks\.allow must list 192\.168\.1\.20\/32/],
  ])('%s is a 422 at execute, never a delivery retried in vain', async (url, message) => {
    const answer = await send(
      executeUrl(server.url, 'acme', 'echo'),
      'POST',
      { ...(await bearer()), 'content-type': 'application/json' },
      JSON.stringify({ callbackUrls: [url] }),
    );
    expectErrorResponse(answer, 422);
    expect(JSON.parse(answer.text).errors[0].message).toMatch(message);
  });
});

async function bearer(): Promise<Record<string, string>> {
  const caller = await server.acme();
  return { authorization: `Bearer ${caller.token}`, 'x-api-key': caller.apiKey! };
}
