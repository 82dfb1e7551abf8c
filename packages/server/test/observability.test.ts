import { call, execute, finalResult, result, type Caller } from './support/api-client';
import { logLines } from './support/log-lines';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let acme: Caller;
const log = logLines();
const { lines } = log;

beforeAll(async () => {
  server = await startTestServer(
    (raw) => {
      raw.server.logLevel = 'info';
    },
    { logDestination: log.destination },
  );
  acme = await server.acme();
});

afterAll(() => server.close());

test('every log line of a request, and of the trigger it started, carries the request id', async () => {
  const executed = await execute(
    server.url,
    'acme',
    'echo',
    acme,
    { triggerParameters: { key: 'value' } },
    'application/json',
    {
      'x-request-id': 'execute-request-1',
    },
  );
  expect(executed.headers.get('x-request-id')).toBe('execute-request-1');
  await finalResult(server, 'acme', 'echo', executed.json.triggerUUID, acme);

  const ofExecute = lines.filter((line) => line.reqId === 'execute-request-1');
  expect(ofExecute.map((line) => line.msg)).toEqual(
    expect.arrayContaining(['request completed', 'trigger running', 'trigger finished']),
  );
  // At info, one line for the request itself, written when it is answered.
  expect(ofExecute.filter((line) => line.msg === 'incoming request')).toEqual([]);
  expect(ofExecute.filter((line) => line.msg === 'request completed')).toEqual([
    expect.objectContaining({
      level: 30,
      method: 'POST',
      url: '/via/v2/organizations/acme/autoFacilitate/execute/echo',
      statusCode: 200,
      responseTime: expect.any(Number),
      remoteAddress: '127.0.0.1',
    }),
  ]);
  expect(
    ofExecute.filter((line) => line.triggerUUID).every((line) => line.triggerUUID === executed.json.triggerUUID),
  ).toBe(true);

  // Every line written while serving requests names its request.
  const requestLines = lines.filter(
    (line) => line.req || line.res || line.statusCode || line.triggerUUID || line.problems,
  );
  expect(requestLines.length).toBeGreaterThan(4);
  for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
});

test('a refusal is logged with its problems and request id', async () => {
  const refused = await execute(server.url, 'acme', 'no-such-service', acme, {});
  const id = refused.headers.get('x-request-id');
  expect(lines.find((line) => line.reqId === id && line.msg === 'request refused')).toMatchObject({
    problems: [{ scope: 'path.vsn', reason: 'Not found' }],
  });
});

test('secrets never reach the log', async () => {
  const text = JSON.stringify(lines);
  expect(text).not.toContain(acme.token);
  expect(text).not.toContain(acme.apiKey);
});

test('usage is counted per API key and operation, also for refused calls', async () => {
  await server.server.usage.flush();
  const before = await server.server.store.usage.listUsage();
  const countOf = (usage: typeof before, operationId: string) =>
    usage.find((entry) => entry.orgId === 'acme' && entry.apiKey === 'main' && entry.operationId === operationId)
      ?.count ?? 0;

  const executed = await execute(server.url, 'acme', 'echo', acme, {});
  await execute(server.url, 'acme', 'echo', { apiKey: acme.apiKey! }, {});
  await result(server.url, 'acme', 'echo', executed.json.triggerUUID, acme);
  await result(server.url, 'acme', 'echo', executed.json.triggerUUID, acme);
  await result(server.url, 'acme', 'echo', executed.json.triggerUUID, acme);
  await server.server.usage.flush();

  const after = await server.server.store.usage.listUsage();
  expect(countOf(after, 'executeService') - countOf(before, 'executeService')).toBe(2);
  expect(countOf(after, 'getTriggerResult') - countOf(before, 'getTriggerResult')).toBe(3);
});

test('GET /healthz answers while the store does', async () => {
  const answer = await call(`${server.url}/healthz`);
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({ status: 'ok', checks: { database: { status: 'ok' }, queue: { status: 'ok' } } });
});

test('at debug, the line of a request coming in too, with its request id', async () => {
  const debug = logLines();
  const verbose = await startTestServer(
    (raw) => {
      raw.server.logLevel = 'debug';
    },
    { logDestination: debug.destination },
  );
  try {
    const answer = await call(`${verbose.url}/metrics`, { headers: { 'x-request-id': 'metrics-request-1' } });
    expect(answer.status).toBe(200);
    await debug.waitFor((line) => line.reqId === 'metrics-request-1' && line.msg === 'request completed');
    expect(debug.lines.filter((line) => line.reqId === 'metrics-request-1')).toEqual([
      expect.objectContaining({ level: 20, msg: 'incoming request', method: 'GET', url: '/metrics' }),
      expect.objectContaining({ level: 30, msg: 'request completed', method: 'GET', url: '/metrics', statusCode: 200 }),
    ]);
  } finally {
    await verbose.close();
  }
});
