import { call, execute, finalResult, result, type Caller } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { secrets } from './support/test-config';
import { deliveriesSettled, triggerRunning } from './support/server-events';
import { startTestServer, type TestServer } from './support/test-server';
import { onPostgres } from './support/test-storage';

let server: TestServer;
let receiver: CallbackReceiver;
let acme: Caller;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer((raw) => {
    raw.callbacks.allow = ['127.0.0.1/32'];
  });
  acme = await server.acme();
});

afterAll(async () => {
  await server.close();
  await receiver.close();
});

/** The samples of the exposition, by series (name and labels as written), and the whole text. */
async function scrape(): Promise<{ text: string; contentType: string | null; samples: Map<string, number> }> {
  const answer = await call(`${server.url}/metrics`);
  expect(answer.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of answer.text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    expect(match).not.toBeNull();
    samples.set(match![1]!, Number(match![2]));
  }
  return { text: answer.text, contentType: answer.headers.get('content-type'), samples };
}

test('GET /metrics answers the Prometheus text format without credentials', async () => {
  const { text, contentType } = await scrape();
  expect(contentType).toBe('text/plain');
  expect(text).toContain('# TYPE autofacilitate_http_requests_total counter');
  expect(text).toContain('# TYPE autofacilitate_queue_depth gauge');
  expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
});

test('requests by operation and status, calls per API key, triggers by state, queues, callbacks, latencies', async () => {
  const before = (await scrape()).samples;
  const count = (samples: Map<string, number>, series: string) => samples.get(series) ?? 0;

  const started = await execute(server.url, 'acme', 'echo', acme, { callbackUrls: [`${receiver.url}/cb`] });
  await execute(server.url, 'acme', 'needs-customer', acme, {});
  await finalResult(server, 'acme', 'echo', started.json.triggerUUID, acme);
  await result(server.url, 'acme', 'echo', started.json.triggerUUID, acme);
  await receiver.waitFor(1);
  // The delivery is recorded once the receiver has answered.
  expect(await deliveriesSettled(server.server, started.json.triggerUUID)).toMatchObject([{ status: 'delivered' }]);
  const napping = (await execute(server.url, 'acme', 'nap', acme, {})).json.triggerUUID;
  await triggerRunning(server.server, 'acme', napping);
  expect((await result(server.url, 'acme', 'nap', napping, acme)).json.status).toBe('running');

  const after = (await scrape()).samples;
  const grew = (series: string) => count(after, series) - count(before, series);
  expect(grew('autofacilitate_http_requests_total{operation="executeService",status="200"}')).toBe(2);
  expect(grew('autofacilitate_http_requests_total{operation="executeService",status="422"}')).toBe(1);
  expect(grew('autofacilitate_http_requests_total{operation="getTriggerResult",status="200"}')).toBeGreaterThanOrEqual(
    2,
  );
  expect(grew('autofacilitate_http_requests_total{operation="getTriggerResult",status="202"}')).toBeGreaterThanOrEqual(
    1,
  );
  expect(grew('autofacilitate_http_requests_total{operation="getAccessToken",status="200"}')).toBe(0);
  expect(grew('autofacilitate_http_request_duration_seconds_count{operation="executeService"}')).toBe(3);
  expect(grew('autofacilitate_api_key_requests_total{org_id="acme",api_key="main",operation="executeService"}')).toBe(
    3,
  );
  expect(
    grew('autofacilitate_api_key_requests_total{org_id="acme",api_key="main",operation="getTriggerResult"}'),
  ).toBeGreaterThanOrEqual(3);
  expect(grew('autofacilitate_triggers_finished_total{org_id="acme",status="succeeded"}')).toBe(1);
  expect(count(after, 'autofacilitate_triggers{org_id="acme",state="running"}')).toBe(1);
  expect(after.has('autofacilitate_triggers{org_id="globex",state="queued"}')).toBe(true);
  expect(after.has('autofacilitate_queue_depth{queue="triggers"}')).toBe(true);
  expect(count(after, 'autofacilitate_queue_depth{queue="callbacks"}')).toBe(0);
  expect(grew('autofacilitate_callback_attempts_total{outcome="delivered"}')).toBe(1);
  expect(grew('autofacilitate_callback_attempt_duration_seconds_count')).toBe(1);
  expect(grew('autofacilitate_callback_deliveries_total{state="delivered"}')).toBe(1);
  expect(grew('autofacilitate_callback_delivery_latency_seconds_count{state="delivered"}')).toBe(1);
  // The finished trigger's wait for a worker and its run, under this process's role.
  expect(grew('autofacilitate_trigger_wait_seconds_count{role="all"}')).toBe(1);
  expect(grew('autofacilitate_trigger_run_seconds_count{role="all"}')).toBe(1);
  // SQLite has one connection and no job engine: no pool or job series; PostgreSQL has both.
  const poolAndJobs = [...after.keys()].filter((series) => /^autofacilitate_(pool_connections|jobs)\{/.test(series));
  if (onPostgres()) expect(poolAndJobs).not.toEqual([]);
  else expect(poolAndJobs).toEqual([]);
});

test('the metrics show no secret', async () => {
  const { text } = await scrape();
  for (const secret of [secrets.acmeKey, secrets.acmeClient, secrets.acmeCallback, acme.token!])
    expect(text).not.toContain(secret);
});

test('GET /metrics and GET /healthz carry a request id and are counted too', async () => {
  const health = await call(`${server.url}/healthz`);
  expect(health.headers.get('x-request-id')).toEqual(expect.any(String));
  const { samples } = await scrape();
  expect(samples.get('autofacilitate_http_requests_total{operation="getHealth",status="200"}')).toBeGreaterThanOrEqual(
    1,
  );
  expect(samples.get('autofacilitate_http_requests_total{operation="getMetrics",status="200"}')).toBeGreaterThanOrEqual(
    1,
  );
});

test("claims of triggers are timed, and each claim's batch counted", async () => {
  const before = (await scrape()).samples;
  const triggerUUIDs = await Promise.all(
    [1, 2, 3].map(async () => (await execute(server.url, 'acme', 'echo', acme, {})).json.triggerUUID),
  );
  for (const triggerUUID of triggerUUIDs) await finalResult(server, 'acme', 'echo', triggerUUID, acme);
  const after = (await scrape()).samples;
  const grew = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
  expect(grew('autofacilitate_trigger_claim_batch_size_sum')).toBeGreaterThanOrEqual(3);
  expect(grew('autofacilitate_trigger_claim_batch_size_count')).toBeGreaterThanOrEqual(1);
  expect(grew('autofacilitate_trigger_claim_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  expect(grew('autofacilitate_trigger_claim_duration_seconds_sum')).toBeGreaterThan(0);
});
