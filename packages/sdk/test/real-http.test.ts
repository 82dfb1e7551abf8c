// The SDK over real sockets on 127.0.0.1: what an injected fetch cannot show. Connection failures
// before and after the request left, aborts of requests in flight, and the bytes on the wire.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AutoFacilitate,
  ConnectionError,
  TimeoutError,
  TokenClient,
  type AutoFacilitateOptions,
} from '@autofacilitate/sdk';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let handle: Handler;

const send = (response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers });
  response.end(body === undefined ? undefined : JSON.stringify(body));
};

/** Answers the token endpoint; everything else goes to `handle`. */
const router: Handler = (request, body, response) => {
  if (request.url === '/tokenservice/oauth2/access_token') {
    send(
      response,
      200,
      { access_token: 'real-token', token_type: 'Bearer', expires_in: 3600 },
      { 'Cache-Control': 'no-store' },
    );
    return;
  }
  seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
  handle(request, body, response);
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => router(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

function client(options: Partial<AutoFacilitateOptions> = {}) {
  return new AutoFacilitate({
    orgId: 'acme',
    baseUrl,
    clientId: 'id',
    clientSecret: 'secret',
    apiKey: 'key',
    retry: { maxRetries: 2, baseDelayMs: 1 },
    ...options,
  });
}

/** A port nothing listens on: the kernel gave it to us, and we gave it back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test('execute, getResult and the token over real HTTP', async () => {
  handle = (request, _body, response) =>
    request.method === 'POST'
      ? send(response, 200, { message: 'ok', triggerUUID: 99 })
      : send(
          response,
          202,
          { triggerUUID: '99', vsn: 'ServerName', status: 'queued', createdAt: '2026-01-01T00:00:00Z' },
          { 'Retry-After': '2' },
        );
  const sdk = client();

  await expect(sdk.execute('ServerName', { key: 'value' }, { idempotencyKey: 'idem-1' })).resolves.toEqual({
    triggerUUID: '99',
    message: 'ok',
  });
  await expect(sdk.getResult('ServerName', '99')).resolves.toMatchObject({
    status: 'queued',
    done: false,
    retryAfterMs: 2000,
  });

  expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
    'POST /via/v2/organizations/acme/autoFacilitate/execute/ServerName',
    'GET /via/v2/organizations/acme/autoFacilitate/result/ServerName/triggerUUID/99',
  ]);
  expect(seen[0]?.headers).toMatchObject({
    authorization: 'Bearer real-token',
    'x-api-key': 'key',
    'content-type': 'application/json',
    'idempotency-key': 'idem-1',
  });
  expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ triggerParameters: { key: 'value' } });
});

test('an idempotent replay is said (Idempotent-Replayed: true)', async () => {
  let calls = 0;
  handle = (_request, _body, response) =>
    send(response, 200, { message: 'ok', triggerUUID: '7' }, ++calls > 1 ? { 'Idempotent-Replayed': 'true' } : {});
  const sdk = client();
  await expect(sdk.execute('ServerName', {}, { idempotencyKey: 'k' })).resolves.toEqual({
    triggerUUID: '7',
    message: 'ok',
  });
  await expect(sdk.execute('ServerName', {}, { idempotencyKey: 'k' })).resolves.toEqual({
    triggerUUID: '7',
    message: 'ok',
    replayed: true,
  });
});

test('a TokenClient needs no organisation and no API key', async () => {
  const tokens = new TokenClient({ baseUrl, clientId: 'id', clientSecret: 'secret' });
  await expect(tokens.getAccessToken()).resolves.toMatchObject({ accessToken: 'real-token', tokenType: 'Bearer' });
  expect(String(tokens)).toBe(`TokenClient(tokenUrl=${baseUrl}/tokenservice/oauth2/access_token, clientId=id)`);
  expect(JSON.stringify(tokens)).not.toContain('secret');
});

test('XML goes over the wire as sent', async () => {
  handle = (_request, _body, response) => send(response, 200, { triggerUUID: '1' });
  await client().execute('ServerName', { key: 'a&b' }, { format: 'xml' });
  expect(seen[0]?.headers['content-type']).toBe('application/xml');
  expect(seen[0]?.body).toBe(
    '<?xml version="1.0" encoding="UTF-8"?>\n<root><triggerParameters><key>a&amp;b</key></triggerParameters></root>',
  );
});

describe('connection failures', () => {
  test('connection refused: the request never left, so even execute is retried', async () => {
    const port = await closedPort();
    let attempts = 0;
    const sdk = client({
      baseUrl: `http://127.0.0.1:${port}`,
      tokenUrl: `${baseUrl}/tokenservice/oauth2/access_token`,
      fetch: (input, init) => {
        if (String(input).includes('/execute/')) attempts++;
        return fetch(input, init);
      },
    });
    const error = await sdk.execute('ServerName').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(
      `executeService could not connect to http://127.0.0.1:${port} (ECONNREFUSED): is the server running?`,
    );
    expect(attempts).toBe(3);
  });

  test('a token service that is not there is named with its URL', async () => {
    const port = await closedPort();
    const tokens = new TokenClient({
      baseUrl: `http://127.0.0.1:${port}`,
      clientId: 'id',
      clientSecret: 'secret',
      retry: false,
    });
    await expect(tokens.getAccessToken()).rejects.toThrow(
      `getAccessToken could not connect to http://127.0.0.1:${port}/tokenservice/oauth2/access_token (ECONNREFUSED): is the server running?`,
    );
  });

  test('reset after the request arrived: execute without a key is not sent again', async () => {
    handle = (request) => request.socket.destroy();
    await expect(client().execute('ServerName')).rejects.toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(1);
  });

  test('reset after the request arrived: execute with a key is retried, with the same key', async () => {
    handle = (request) => request.socket.destroy();
    await expect(client().execute('ServerName', {}, { idempotencyKey: 'again' })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(seen.map((request) => request.headers['idempotency-key'])).toEqual(['again', 'again', 'again']);
  });

  test('reset after the request arrived: getResult is retried', async () => {
    let calls = 0;
    handle = (request, _body, response) => (++calls < 3 ? request.socket.destroy() : send(response, 204));
    await expect(client().getResult('ServerName', '1')).resolves.toMatchObject({ status: 'succeeded' });
    expect(seen).toHaveLength(3);
  });
});

describe('aborts and deadlines on a request in flight', () => {
  test('aborting closes the connection and rejects with the reason', async () => {
    const controller = new AbortController();
    const closed = new Promise<void>((resolve) => {
      handle = (_request, _body, response) => {
        response.on('close', () => resolve());
        controller.abort(new Error('no longer wanted'));
      };
    });
    await expect(client().execute('ServerName', {}, { signal: controller.signal })).rejects.toThrow('no longer wanted');
    await closed;
    expect(seen).toHaveLength(1);
  });

  test('the deadline closes the connection and rejects with a TimeoutError', async () => {
    const closed = new Promise<void>((resolve) => {
      handle = (_request, _body, response) => response.on('close', () => resolve());
    });
    await expect(client({ timeoutMs: 200 }).getResult('ServerName', '1')).rejects.toBeInstanceOf(TimeoutError);
    await closed;
  });
});
