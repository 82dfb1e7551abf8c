import { execute, finalResult, result, type Caller } from './support/api-client';
import { triggerRunning } from './support/server-events';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let acme: Caller;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.acme();
});

afterAll(() => server.close());

async function trigger(vsn: string, triggerParameters: Record<string, string> = {}): Promise<string> {
  const answer = await execute(server.url, 'acme', vsn, acme, { triggerParameters });
  expect(answer.status).toBe(200);
  return answer.json.triggerUUID as string;
}

const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

test('200: a trigger that finished with output answers with the outcome', async () => {
  const triggerUUID = await trigger('echo', { key: 'value' });
  const answer = await finalResult(server, 'acme', 'echo', triggerUUID, acme);
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({
    triggerUUID,
    vsn: 'echo',
    status: 'succeeded',
    output: { key: 'value' },
    createdAt: isoTime,
    startedAt: isoTime,
    finishedAt: isoTime,
  });
});

test('204: a trigger that finished with no output answers as Alvaria’s API reference documents', async () => {
  const triggerUUID = await trigger('quick');
  const answer = await finalResult(server, 'acme', 'quick', triggerUUID, acme);
  expect(answer.status).toBe(204);
  expect(answer.text).toBe('');
});

test('202: a running trigger answers with its progress and Retry-After', async () => {
  const triggerUUID = await trigger('nap');
  await triggerRunning(server.server, 'acme', triggerUUID);
  const answer = await result(server.url, 'acme', 'nap', triggerUUID, acme);
  expect(answer.status).toBe(202);
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(answer.json).toEqual({ triggerUUID, vsn: 'nap', status: 'running', createdAt: isoTime, startedAt: isoTime });
});

test('202: a queued trigger answers with its progress', async () => {
  // lonely runs one trigger at a time: while the first runs, the second waits in the queue.
  const first = await trigger('lonely');
  await triggerRunning(server.server, 'acme', first);
  expect((await result(server.url, 'acme', 'lonely', first, acme)).json.status).toBe('running');
  const queued = await trigger('lonely');
  const answer = await result(server.url, 'acme', 'lonely', queued, acme);
  expect(answer.status).toBe(202);
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(answer.json).toEqual({ triggerUUID: queued, vsn: 'lonely', status: 'queued', createdAt: isoTime });
});

test('200: a failed trigger answers with its error', async () => {
  const triggerUUID = await trigger('broken');
  const answer = await finalResult(server, 'acme', 'broken', triggerUUID, acme);
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({
    triggerUUID,
    vsn: 'broken',
    status: 'failed',
    error: { scope: 'service', reason: 'Service failed', message: 'upstream answered 503' },
    createdAt: isoTime,
    startedAt: isoTime,
    finishedAt: isoTime,
  });
});

test('200: a trigger that ran out of time answers timed_out', async () => {
  const triggerUUID = await trigger('slowpoke');
  const answer = await finalResult(server, 'acme', 'slowpoke', triggerUUID, acme);
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({
    status: 'timed_out',
    error: { scope: 'service', reason: 'Timed out', message: 'The service did not finish within 50 ms' },
  });
});

test('a triggerUUID is found whatever the case of its hex digits', async () => {
  const triggerUUID = await trigger('echo', { key: 'value' });
  await finalResult(server, 'acme', 'echo', triggerUUID, acme);
  expect((await result(server.url, 'acme', 'echo', triggerUUID.toUpperCase(), acme)).status).toBe(200);
});

test('404: a triggerUUID the spec allows (its example, 1234) but that names no trigger', async () => {
  const answer = await result(server.url, 'acme', 'echo', '1234', acme);
  expect(answer.status).toBe(404);
  expect(answer.headers.get('x-request-id')).toEqual(expect.any(String));
  expect(answer.json).toEqual({
    code: '404',
    message: 'Not found',
    errors: [{ scope: 'path.triggerUUID', reason: 'Not found', message: 'Trigger 1234 not found' }],
  });
});

test('404: a trigger that does not exist', async () => {
  const answer = await result(server.url, 'acme', 'echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', acme);
  expect(answer.status).toBe(404);
  expect(answer.json).toEqual({
    code: '404',
    message: 'Not found',
    errors: [
      {
        scope: 'path.triggerUUID',
        reason: 'Not found',
        message: 'Trigger 0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d not found',
      },
    ],
  });
});

test('422: a trigger asked for under another service', async () => {
  const triggerUUID = await trigger('echo', { key: 'value' });
  const answer = await result(server.url, 'acme', 'broken', triggerUUID, acme);
  expect(answer.status).toBe(422);
  expect(answer.json).toEqual({
    code: '422',
    message: 'Unprocessable Entity',
    errors: [
      {
        scope: 'path.vsn',
        reason: 'Unprocessable Entity',
        message: `Trigger ${triggerUUID} was started by the service echo, not broken`,
      },
    ],
  });
});
