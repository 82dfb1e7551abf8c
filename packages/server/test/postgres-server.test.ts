import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { admin } from './support/admin-client';
import { execute, finalResult } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { usePostgresCluster } from './support/postgres-cluster';
import { deliveriesSettled } from './support/server-events';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

// The server on the PostgreSQL of its configuration: a trigger runs through its pg-boss job, its
// callback is delivered through another, retried once, and the admin API reads it.

const cluster = usePostgresCluster();
let receiver: CallbackReceiver;
let server: TestServer | undefined;

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await receiver.close();
});

test('a trigger runs, its callback is retried and delivered, and the admin API lists it, all on PostgreSQL', async () => {
  const url = await cluster.createDatabase();
  server = await startTestServer((raw) => {
    raw.callbacks.allow = ['127.0.0.1/32'];
    raw.storage = { postgres: { url, poolSize: 4 } };
  });
  const store = server.server.store as PostgresStorage;
  expect(store).toBeInstanceOf(PostgresStorage);
  // The first attempt is refused, the second (10 ms on, by the schedule) delivered.
  receiver.answer = (_callback, index) => ({ status: index === 0 ? 503 : 204 });
  const acme = await server.acme();
  const answer = await execute(server.url, 'acme', 'echo', acme, {
    triggerParameters: { key: 'value' },
    callbackUrls: [`${receiver.url}/cb`],
  });
  expect(answer.status).toBe(200);
  const triggerUUID = answer.json.triggerUUID as string;

  const result = await finalResult(server, 'acme', 'echo', triggerUUID, acme);
  expect(result.json).toMatchObject({ triggerUUID, status: 'succeeded', output: { key: 'value' } });
  const [first, second] = await receiver.waitFor(2);
  expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  const [delivery] = await deliveriesSettled(server.server, triggerUUID);
  expect(delivery).toMatchObject({
    webhookId: first!.headers['webhook-id'],
    status: 'delivered',
    attempts: 2,
    history: [
      { attempt: 1, statusCode: 503 },
      { attempt: 2, statusCode: 204 },
    ],
  });

  const listed = await admin(server.url, 'acme', '/triggers', secrets.acmeAdmin);
  expect(listed.status).toBe(200);
  expect(listed.json.triggers.map((trigger: { triggerUUID: string }) => trigger.triggerUUID)).toEqual([triggerUUID]);
  expect(await store.boss.findJobs('trigger', { id: triggerUUID })).toMatchObject([{ state: 'completed' }]);
});

test("the jobs' leases are the configuration's: a trigger's heartbeat from workers.leaseMs, a delivery's expiry from callbacks.timeoutMs", async () => {
  const url = await cluster.createDatabase();
  server = await startTestServer((raw) => {
    raw.storage = { postgres: { url, poolSize: 2 } };
    raw.workers.leaseMs = 12_500;
    raw.callbacks.timeoutMs = 4000;
  });
  const { boss } = server.server.store as PostgresStorage;
  // Jobs due at once are announced after their commit by the server, not by pg-boss in it (work-announcer.ts).
  expect(await boss.getQueue('trigger')).toMatchObject({ heartbeatSeconds: 13, notify: false });
  // As long as the deliverer's own lease: two attempts' timeouts and a second.
  expect(await boss.getQueue('delivery')).toMatchObject({ expireInSeconds: 9, notify: false });
});
