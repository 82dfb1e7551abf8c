import type { TriggerOutcome } from '@autofacilitate/sdk';
import { empty, json } from './support/fake-api';
import { makeClient, rejection } from './support/make-client';

const FINISHED = {
  triggerUUID: '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d',
  vsn: 'ServerName',
  createdAt: '2026-01-01T12:00:00.000Z',
  startedAt: '2026-01-01T12:00:00.010Z',
  finishedAt: '2026-01-01T12:00:00.020Z',
};

async function outcomeOf(reply: Response, triggerUUID: string | number = '1234'): Promise<TriggerOutcome> {
  const { api, clock, client } = makeClient();
  api.script('result', reply);
  return clock.run(client.getResult('ServerName', triggerUUID));
}

test('asks for the trigger on the orgId, vsn and triggerUUID path', async () => {
  const { api, clock, client } = makeClient();
  await clock.run(client.getResult('Server Name', 'a/b'));
  expect(api.seen('result')[0]?.method).toBe('GET');
  expect(api.seen('result')[0]?.url).toBe(
    'https://api.test/via/v2/organizations/acme/autoFacilitate/result/Server%20Name/triggerUUID/a%2Fb',
  );
});

test('a numeric triggerUUID (Alvaria’s API reference types it as integer) is accepted', async () => {
  const { api, clock, client } = makeClient();
  await clock.run(client.getResult('ServerName', 1234));
  expect(api.seen('result')[0]?.url).toMatch(/\/triggerUUID\/1234$/);
});

test.each([[''], [1.5], [Number.NaN], [null]])('a triggerUUID of %p is refused before sending', async (triggerUUID) => {
  const { api, client } = makeClient();
  await expect(client.getResult('ServerName', triggerUUID as never)).rejects.toMatchObject({
    name: 'ValidationError',
    errors: [{ scope: 'triggerUUID' }],
  });
  expect(api.requests).toHaveLength(0);
});

test('204 (Alvaria’s API reference): finished successfully, nothing more to say', async () => {
  await expect(outcomeOf(empty(204))).resolves.toEqual({
    status: 'succeeded',
    done: true,
    triggerUUID: '1234',
    vsn: 'ServerName',
  });
});

test('200 succeeded: the output and the timestamps as dates', async () => {
  await expect(outcomeOf(json(200, { ...FINISHED, status: 'succeeded', output: { key: 'value' } }))).resolves.toEqual({
    status: 'succeeded',
    done: true,
    triggerUUID: FINISHED.triggerUUID,
    vsn: 'ServerName',
    output: { key: 'value' },
    createdAt: new Date(FINISHED.createdAt),
    startedAt: new Date(FINISHED.startedAt),
    finishedAt: new Date(FINISHED.finishedAt),
  });
});

test.each([[null], [0], [''], [[1, 2]]])('200 succeeded with output %p keeps it as sent', async (output) => {
  await expect(outcomeOf(json(200, { ...FINISHED, status: 'succeeded', output }))).resolves.toMatchObject({ output });
});

test.each(['failed', 'timed_out'] as const)('200 %s: the error it failed with', async (status) => {
  const error = { scope: 'service', reason: 'Service failed', message: 'upstream answered 503' };
  await expect(outcomeOf(json(200, { ...FINISHED, status, error }))).resolves.toEqual({
    status,
    done: true,
    triggerUUID: FINISHED.triggerUUID,
    vsn: 'ServerName',
    error,
    createdAt: new Date(FINISHED.createdAt),
    startedAt: new Date(FINISHED.startedAt),
    finishedAt: new Date(FINISHED.finishedAt),
  });
});

test.each(['queued', 'running'] as const)('202 %s: not finished yet, with Retry-After', async (status) => {
  const { createdAt, triggerUUID, vsn } = FINISHED;
  await expect(outcomeOf(json(202, { triggerUUID, vsn, status, createdAt }, { 'Retry-After': '3' }))).resolves.toEqual({
    status,
    done: false,
    triggerUUID,
    vsn,
    createdAt: new Date(createdAt),
    retryAfterMs: 3000,
  });
});

test('a numeric triggerUUID in the body is read as a string; missing ids come from the request', async () => {
  await expect(
    outcomeOf(json(200, { triggerUUID: 77, status: 'succeeded', createdAt: FINISHED.createdAt })),
  ).resolves.toMatchObject({ triggerUUID: '77', vsn: 'ServerName' });
  await expect(outcomeOf(json(202, { status: 'running' }), 5)).resolves.toMatchObject({
    triggerUUID: '5',
    vsn: 'ServerName',
    done: false,
  });
});

test('unreadable dates are left out rather than handed over as Invalid Date', async () => {
  const outcome = await outcomeOf(json(200, { ...FINISHED, status: 'succeeded', createdAt: 'yesterday' }));
  expect(outcome).not.toHaveProperty('createdAt');
  expect(outcome).toHaveProperty('finishedAt');
});

test.each([
  [200, { ...FINISHED, status: 'cancelled' }, /status this SDK does not know: "cancelled"/],
  [202, { ...FINISHED, status: 'succeeded' }, /still in progress \(202\) has a status/],
  [200, [1, 2], /not a JSON object/],
])('%i with %j is refused plainly', async (status, body, message) => {
  const { api, clock, client } = makeClient();
  api.script('result', json(status, body));
  const error = await clock.run(rejection(client.getResult('ServerName', '1')));
  expect((error as Error).message).toMatch(message);
  expect(error).toMatchObject({ name: 'AutoFacilitateError', operation: 'getTriggerResult' });
});

test('a 200 that is still running (a lenient server) is read as pending', async () => {
  await expect(outcomeOf(json(200, { ...FINISHED, status: 'running' }))).resolves.toMatchObject({
    done: false,
    status: 'running',
  });
});
