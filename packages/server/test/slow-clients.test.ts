import { connect, type Socket } from 'node:net';
import { startTestServer, type TestServer } from './support/test-server';

// These tests are about real timeouts on real sockets: they wait for the server to act, with
// timeouts of a few hundred milliseconds so that they end soon.

/** A raw connection: what the server wrote, and a promise that settles when it closed it. */
function open(url: string): { socket: Socket; received: () => string; closed: Promise<void> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

describe('clients that send slowly', () => {
  let server: TestServer;
  let token: string;
  let apiKey: string;

  beforeAll(async () => {
    server = await startTestServer((raw) => {
      raw.workers.enabled = false;
      raw.server.requestTimeoutMs = 400;
      raw.server.headersTimeoutMs = 300;
      raw.server.keepAliveTimeoutMs = 200;
    });
    ({ token, apiKey } = (await server.acme()) as { token: string; apiKey: string });
  });

  afterAll(() => server.close());

  test('a body that stalls is answered 408 and the connection closed', async () => {
    const connection = open(server.url);
    connection.socket.write(
      [
        'POST /via/v2/organizations/acme/autoFacilitate/execute/echo HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${token}`,
        `x-api-key: ${apiKey}`,
        'Content-Type: application/json',
        'Content-Length: 100',
        '',
        '{"triggerParameters":',
      ].join('\r\n'),
    );
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(connection.received()).toMatch(/\r\nx-request-id: \S+\r\n/);
    const body = JSON.parse(connection.received().split('\r\n\r\n')[1]!);
    expect(body).toEqual({
      code: '408',
      message: 'Request Timeout',
      errors: [{ scope: 'global', reason: 'Request Timeout', message: 'The request was not received within 400 ms' }],
    });
  });

  test('headers that never end close the connection with a 408', async () => {
    const connection = open(server.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(connection.received()).toMatch(/\r\nx-request-id: \S+\r\n/);
    expect(JSON.parse(connection.received().split('\r\n\r\n')[1]!)).toMatchObject({
      code: '408',
      errors: [{ scope: 'global', reason: 'Request Timeout' }],
    });
  });

  test('an idle keep-alive connection is closed after keepAliveTimeoutMs', async () => {
    const connection = open(server.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('an early refusal (401) while the body is still arriving closes the connection, unread', async () => {
    const connection = open(server.url);
    connection.socket.write(
      [
        'POST /via/v2/organizations/acme/autoFacilitate/execute/echo HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${500 * 1024 * 1024}`,
        '',
        'x'.repeat(1024),
      ].join('\r\n'),
    );
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(connection.received()).toMatch(/\r\nconnection: close\r\n/i);
  });
});
