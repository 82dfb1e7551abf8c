// The facade harness itself, against a recording upstream: the XML variants Prism cannot take
// must reach the upstream as the facade writes them, ready for the server's Dredd run.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFacadeHarness, type FacadeHarness } from '../src/facade-harness';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let upstream: Server;
let harness: FacadeHarness;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', headers: request.headers, body });
      if (request.url === '/metrics') {
        response.writeHead(200, { 'Content-Type': 'text/plain', 'x-request-id': 'upstream-1' });
        response.end('# TYPE autofacilitate_queue_depth gauge\nautofacilitate_queue_depth{queue="triggers"} 3\n');
        return;
      }
      if (request.url === '/healthz') {
        response.writeHead(503, { 'Content-Type': 'application/json', 'x-request-id': 'upstream-2' });
        response.end('{"status":"unavailable"}');
        return;
      }
      if (request.headers.prefer === 'code=429') {
        response.writeHead(429, {
          'Content-Type': 'application/json',
          'Retry-After': '7',
          'x-request-id': 'upstream-3',
        });
        response.end(
          JSON.stringify({
            code: '429',
            message: 'Too Many Requests',
            errors: [{ scope: 'global', reason: 'Rate limit exceeded', message: 'slow down' }],
          }),
        );
        return;
      }
      const answer = request.url?.startsWith('/tokenservice/')
        ? { access_token: 'upstream-token', token_type: 'Bearer', expires_in: 3600 }
        : { message: 'Successfully triggered ServerName@acme', triggerUUID: 1234 };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  harness = await startFacadeHarness({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});

afterAll(async () => {
  await harness?.stop();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

test('an XML execute goes upstream as the facade’s XML, and the answer comes back as the spec’s JSON', async () => {
  const response = await fetch(`${harness.url}/via/v2/organizations/acme/autoFacilitate/execute/ServerName`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml', 'x-api-key': 'caller-key' },
    body: '<?xml version="1.0" encoding="UTF-8" ?>\n<root>\n<triggerParameters>\n<key>value &amp; more</key>\n</triggerParameters>\n<callbackUrls>https://mycompany.com/callbacks/id=123</callbackUrls>\n</root>',
  });

  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ message: 'Successfully triggered ServerName@acme', triggerUUID: '1234' });
  const execute = seen.find((request) => request.url.includes('/execute/'));
  expect(execute?.headers).toMatchObject({
    'content-type': 'application/xml',
    authorization: 'Bearer upstream-token',
    'x-api-key': 'caller-key',
  });
  expect(execute?.body).toBe(
    '<?xml version="1.0" encoding="UTF-8"?>\n<root><triggerParameters><key>value &amp; more</key></triggerParameters>' +
      '<callbackUrls>https://mycompany.com/callbacks/id=123</callbackUrls></root>',
  );
});

test('a JSON execute goes upstream as the generated client’s JSON', async () => {
  const response = await fetch(`${harness.url}/via/v2/organizations/acme/autoFacilitate/execute/ServerName`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-api-key': 'caller-key', 'Idempotency-Key': 'k-1' },
    body: JSON.stringify({ triggerParameters: { key: 'value' } }),
  });
  expect(response.status).toBe(200);
  const execute = seen.find((request) => request.url.includes('/execute/'));
  expect(JSON.parse(execute?.body ?? '')).toEqual({ triggerParameters: { key: 'value' } });
  expect(execute?.headers['idempotency-key']).toBe('k-1');
});

test('a route the spec does not have is a 404 in the spec’s error shape', async () => {
  const response = await fetch(`${harness.url}/nowhere`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ code: '404', message: expect.stringContaining('/nowhere') });
});

test('GET /metrics and GET /healthz, which the facade has no method for, go to the upstream and back verbatim', async () => {
  const metrics = await fetch(`${harness.url}/metrics`, { headers: { prefer: 'code=200', accept: 'text/plain' } });
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toBe('text/plain');
  expect(metrics.headers.get('x-request-id')).toBe('upstream-1');
  expect(await metrics.text()).toBe(
    '# TYPE autofacilitate_queue_depth gauge\nautofacilitate_queue_depth{queue="triggers"} 3\n',
  );
  expect(seen.find((request) => request.url === '/metrics')?.headers).toMatchObject({
    prefer: 'code=200',
    accept: 'text/plain',
  });

  const health = await fetch(`${harness.url}/healthz`);
  expect(health.status).toBe(503);
  expect(await health.json()).toEqual({ status: 'unavailable' });
});

test('a 429 comes back as the upstream answered it, Retry-After and request id included: the facade does not retry it here', async () => {
  const response = await fetch(`${harness.url}/via/v2/organizations/acme/autoFacilitate/execute/ServerName`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-api-key': 'caller-key', prefer: 'code=429' },
    body: JSON.stringify({ triggerParameters: {} }),
  });
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe('7');
  expect(response.headers.get('x-request-id')).toBe('upstream-3');
  expect(await response.json()).toEqual({
    code: '429',
    message: 'Too Many Requests',
    errors: [{ scope: 'global', reason: 'Rate limit exceeded', message: 'slow down' }],
  });
  expect(seen.filter((request) => request.url.includes('/execute/'))).toHaveLength(1);
});
