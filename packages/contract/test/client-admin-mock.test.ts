// The generated client's admin operations against Prism with validation both ways: every
// operation's success and each documented error status, and a request the spec forbids.
import { AdminApi, Configuration, type ErrorResponse, type InitOverrideFunction } from '@autofacilitate/client';
import { failure, prefer, useValidatingPrism } from './support/validating-prism';

const prism = useValidatingPrism();

const orgId = 'acme';
const triggerUUID = '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d';

function admin(authenticated = true) {
  // The admin key is an HTTP bearer credential: the generated client adds `Bearer ` itself.
  return new AdminApi(
    new Configuration({
      basePath: prism().url,
      ...(authenticated ? { accessToken: async () => 'contract-admin-key' } : {}),
    }),
  );
}

const calls = {
  listAdminTriggers: (override?: InitOverrideFunction) =>
    admin().listAdminTriggers({ orgId, status: 'failed', limit: 20 }, override),
  getAdminTrigger: (override?: InitOverrideFunction) => admin().getAdminTrigger({ orgId, triggerUUID }, override),
  resendAdminDelivery: (override?: InitOverrideFunction) =>
    admin().resendAdminDelivery({ orgId, triggerUUID, deliveryId: 7 }, override),
  listAdminServices: (override?: InitOverrideFunction) => admin().listAdminServices({ orgId }, override),
  getAdminUsage: (override?: InitOverrideFunction) => admin().getAdminUsage({ orgId }, override),
  streamAdminEvents: (override?: InitOverrideFunction) => admin().streamAdminEvents({ orgId }, override),
};

test('each admin operation answers its typed success', async () => {
  expect((await calls.listAdminTriggers()).triggers[0]).toMatchObject({ status: 'failed', vsn: 'ServerName' });
  const trigger = await calls.getAdminTrigger();
  expect(trigger.deliveries[0]!.attempts[0]!.startedAt).toBeInstanceOf(Date);
  expect(trigger.timeline.map((entry) => entry.event)).toContain('callback_attempt');
  expect(await calls.resendAdminDelivery(prefer(202))).toMatchObject({ deliveryId: 7, status: 'pending' });
  expect((await calls.listAdminServices()).services[0]!.lastHour.successRate).toBe(0.97);
  expect((await calls.getAdminUsage()).apiKeys[0]).toMatchObject({ name: 'main', hashPrefix: '9f86d081' });
  expect(await calls.streamAdminEvents()).toContain('event: trigger');
});

test.each([
  ['listAdminTriggers', [400, 401, 403, 404, 500]],
  ['getAdminTrigger', [400, 401, 403, 404, 500]],
  ['resendAdminDelivery', [400, 401, 403, 404, 409, 500]],
  ['listAdminServices', [401, 403, 404, 500]],
  ['getAdminUsage', [401, 403, 404, 500]],
  ['streamAdminEvents', [401, 403, 404]],
] as const)('%s surfaces each documented error with an ErrorResponse', async (operation, statuses) => {
  for (const status of statuses) {
    const error = await failure(calls[operation](prefer(status)));
    expect(error.response.status).toBe(status);
    expect(((await error.response.json()) as ErrorResponse).code).toBe(String(status));
  }
});

test('without an admin key the call is refused with 401', async () => {
  const error = await failure(admin(false).listAdminServices({ orgId }));
  expect(error.response.status).toBe(401);
});

test('a request the spec forbids is caught by the validating proxy', async () => {
  const error = await failure(admin().listAdminTriggers({ orgId, limit: 1000 }));
  expect(error.response.status).toBe(422);
  const problem = (await error.response.json()) as { validation: Array<{ location: string[] }> };
  expect(problem.validation).toEqual([expect.objectContaining({ location: ['query', 'limit'] })]);
});
