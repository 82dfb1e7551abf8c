import { AuthError, AutoFacilitate, AutoFacilitateAdmin, NotFoundError, type AdminEvent } from '@autofacilitate/sdk';
import { startAcmeServer, type AcmeServer } from './support/acme-server';

// The SDK's admin facade end to end against the real server: triggers paged as an async iterator,
// one trigger, resend, services, usage, the event stream as an async iterable, and typed errors.
let acme: AcmeServer;
let client: AutoFacilitate;
let admin: AutoFacilitateAdmin;
let baseUrl: string;

beforeAll(async () => {
  acme = await startAcmeServer({
    name: 'sdk-admin',
    clientId: 'sdk-client',
    apiKeyName: 'sdk',
    admin: true,
    services: { echo: { kind: 'echo' }, broken: { kind: 'fail', message: 'upstream answered 503' } },
  });
  const { clientSecret, apiKey, adminKey } = acme;
  baseUrl = acme.baseUrl;
  client = new AutoFacilitate({ orgId: 'acme', baseUrl, clientId: 'sdk-client', clientSecret, apiKey });
  admin = new AutoFacilitateAdmin({ baseUrl, orgId: 'acme', adminKey });
});

afterAll(() => acme?.close());

test('triggers() walks every page as an async iterator; trigger(), services() and usage() are typed', async () => {
  const started: string[] = [];
  for (let index = 0; index < 5; index++) {
    started.push((await client.executeAndWait('echo', { index: String(index) }, { pollIntervalMs: 20 })).triggerUUID);
  }
  const failed = await client.executeAndWait('broken', {}, { pollIntervalMs: 20 });

  const listed: string[] = [];
  for await (const trigger of admin.triggers({ vsn: 'echo', pageSize: 2 })) listed.push(trigger.triggerUUID);
  expect(listed).toEqual([...started].reverse());
  const failures = [];
  for await (const trigger of admin.triggers({ status: 'failed' })) failures.push(trigger);
  expect(failures.map((trigger) => trigger.triggerUUID)).toEqual([failed.triggerUUID]);
  expect(failures[0]!.createdAt).toBeInstanceOf(Date);

  const detail = await admin.trigger(started[0]!);
  expect(detail).toMatchObject({ vsn: 'echo', status: 'succeeded', triggerParameters: { index: '0' } });
  expect(detail.timeline.map((entry) => entry.event)).toEqual(['queued', 'running', 'succeeded']);

  const services = await admin.services();
  expect(services.map((service) => [service.vsn, service.lastHour.succeeded, service.lastHour.failed])).toEqual([
    ['broken', 0, 1],
    ['echo', 5, 0],
  ]);
  const [usage] = await admin.usage();
  expect(usage!.name).toBe('sdk');
  expect(usage!.operations.find((operation) => operation.operationId === 'executeService')!.count).toBe(6);
});

test('resend() makes a delivery due again under its webhook-id', async () => {
  const { triggerUUID } = await client.execute(
    'echo',
    {},
    { callbackUrls: ['https://mycompany.com/callbacks/id=123'] },
  );
  await client.waitForResult('echo', triggerUUID, { pollIntervalMs: 20 });
  const [delivery] = (await admin.trigger(triggerUUID)).deliveries;
  const resent = await admin.resend(triggerUUID, delivery!.deliveryId);
  expect(resent).toMatchObject({ deliveryId: delivery!.deliveryId, webhookId: delivery!.webhookId, status: 'pending' });
});

test('events() is an async iterable of the changes, until its signal aborts', async () => {
  const stop = new AbortController();
  const seen: AdminEvent[] = [];
  const started = { triggerUUID: '' };
  // The trigger may finish before execute's answer is read: both ends look for its last event.
  const stopOnceFinished = () => {
    const finished = ({ type, data }: AdminEvent) =>
      type === 'trigger' && data.triggerUUID === started.triggerUUID && data.status === 'succeeded';
    if (seen.some(finished)) stop.abort();
  };
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const reading = (async () => {
    for await (const event of admin.events({ signal: stop.signal, onOpen: opened })) {
      seen.push(event);
      stopOnceFinished();
    }
  })();
  await open;
  started.triggerUUID = (await client.execute('echo', { live: 'yes' })).triggerUUID;
  stopOnceFinished();
  await reading;
  expect(
    seen.filter((event) => event.data.triggerUUID === started.triggerUUID).map((event) => event.data.status),
  ).toEqual(['queued', 'running', 'succeeded']);
});

test('errors are typed: an unknown admin key is an AuthError naming it, an unknown trigger a NotFoundError', async () => {
  const stranger = new AutoFacilitateAdmin({ baseUrl, orgId: 'acme', adminKey: 'not-an-admin-key' });
  const refused = await stranger.services().catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(AuthError);
  expect(refused).toMatchObject({
    status: 401,
    credential: 'adminKey',
    operation: 'listAdminServices',
    message: 'The admin key was refused: The admin key is unknown',
  });
  const events = stranger.events()[Symbol.asyncIterator]();
  await expect(events.next()).rejects.toMatchObject({ status: 401, credential: 'adminKey' });
  await expect(admin.trigger('00000000-0000-4000-8000-000000000001')).rejects.toBeInstanceOf(NotFoundError);
  expect(() => new AutoFacilitateAdmin({ baseUrl, orgId: 'acme', adminKey: '' })).toThrow('adminKey is required');
});
