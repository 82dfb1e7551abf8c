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
  expect(execute?.headers).toMatchObject({ 'content-type': 'application/xml', authorization: 'Bearer upstream-token', 'x-api-key': 'caller-key' });
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
