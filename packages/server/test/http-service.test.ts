import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, finalResult, type Caller } from './support/api-client';
import { startTestServer, type TestServer } from './support/test-server';
import { when } from './support/when';

/** What the upstream received, and how it answers next. */
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let upstream: Server;
let upstreamUrl: string;
const received: Received[] = [];
const aborted: string[] = [];
/** Emits `aborted` when a call to the upstream is given up before its answer. */
const upstreamEvents = new EventEmitter();
const answers = new Map<string, (response: ServerResponse) => void>([
  [
    '/json',
    (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ticket":"T-1","open":true}'),
  ],
  ['/empty', (response) => response.writeHead(204).end()],
  ['/unavailable', (response) => response.writeHead(503).end('{"error":"down"}')],
  ['/html', (response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>')],
  ['/redirect', (response) => response.writeHead(302, { location: '/json' }).end()],
  ['/huge', (response) => response.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(4096)}"`)],
  ['/hang', () => undefined],
]);

let server: TestServer;
let acme: Caller;

beforeAll(async () => {
  upstream = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url!, headers: request.headers, body });
      answers.get(request.url!)!(response);
    });
    response.on('close', () => {
      if (response.writableEnded) return;
      aborted.push(request.url!);
      upstreamEvents.emit('aborted');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  // A port that was just free: nothing listens there.
  const probe = createHttpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));

  server = await startTestServer((raw) => {
    raw.limits = { outputBytes: 1024 };
    const services = raw.organisations.acme.services;
    for (const path of answers.keys()) {
      services[`crm${path.replace('/', '-')}`] = {
        kind: 'http',
        url: `${upstreamUrl}${path}`,
        headers: { authorization: 'Bearer upstream-token' },
        timeoutMs: 300,
      };
    }
    services['crm-closed'] = { kind: 'http', url: `http://127.0.0.1:${closedPort}/nothing-listens-here` };
  });
  acme = await server.acme();
});

afterAll(async () => {
  await server.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

async function run(vsn: string, triggerParameters: Record<string, string> = { customerId: '42' }) {
  const started = await execute(server.url, 'acme', vsn, acme, { triggerParameters });
  expect(started.status).toBe(200);
  return {
    triggerUUID: started.json.triggerUUID as string,
    answer: await finalResult(server, 'acme', vsn, started.json.triggerUUID, acme),
  };
}

test('POSTs the parameters as JSON, with the triggerUUID as Idempotency-Key, and outputs the JSON answer', async () => {
  const { triggerUUID, answer } = await run('crm-json', { customerId: '42', channel: 'voice' });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ status: 'succeeded', output: { ticket: 'T-1', open: true } });
  const call = received.find((entry) => entry.headers['idempotency-key'] === triggerUUID)!;
  expect(call.path).toBe('/json');
  expect(JSON.parse(call.body)).toEqual({ customerId: '42', channel: 'voice' });
  expect(call.headers).toMatchObject({
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: 'Bearer upstream-token',
  });
});

test('an empty answer is no output: 204', async () => {
  expect((await run('crm-empty')).answer.status).toBe(204);
});

test.each([
  ['crm-unavailable', 'upstream answered 503'],
  ['crm-redirect', 'upstream answered 302'],
  ['crm-html', 'upstream answered with a body that is not JSON'],
  ['crm-huge', 'The upstream answer is larger than 1024 bytes'],
])('%s fails: %s', async (vsn, message) => {
  const { answer } = await run(vsn);
  expect(answer.json).toMatchObject({
    status: 'failed',
    error: { scope: 'service', reason: 'Service failed', message },
  });
});

test('an upstream that cannot be reached fails the trigger, naming why', async () => {
  const { answer } = await run('crm-closed');
  expect(answer.json).toMatchObject({
    status: 'failed',
    error: { message: 'upstream could not be reached (ECONNREFUSED)' },
  });
});

// On the wall clock: the service's timeout cuts a real connection to a real upstream.
test('an upstream that never answers times out, and the call to it is abandoned', async () => {
  const { answer } = await run('crm-hang');
  expect(answer.json).toMatchObject({ status: 'timed_out' });
  await when(upstreamEvents, 'aborted', () => aborted.includes('/hang'));
  expect(aborted).toContain('/hang');
});
