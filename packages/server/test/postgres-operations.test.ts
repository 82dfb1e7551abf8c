import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { call, execute, finalResult } from './support/api-client';
import { usePostgresCluster } from './support/postgres-cluster';
import type { RawConfig } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

// What an operator of a PostgreSQL cluster sees: /healthz checks the database and pg-boss apart,
// /metrics counts the pools, the job engine's queues and the triggers' latency, per role.

const cluster = usePostgresCluster();
let server: TestServer;
// A worker process takes no API requests: the triggers it runs come through an API process.
let api: TestServer;

describe('a server on PostgreSQL, its role a worker', () => {
  beforeAll(async () => {
    const url = await cluster.createDatabase();
    const onPostgres = (raw: RawConfig) => {
      raw.storage = { postgres: { url, poolSize: 4 } };
    };
    server = await startTestServer(onPostgres, { role: 'worker' });
    api = await startTestServer(onPostgres, { role: 'api' });
  });

  // Closed before the cluster stops.
  afterAll(async () => {
    await api.close();
    await server.close();
  });

  /** The samples of the exposition, by series (name and labels as written). */
  async function scrape(): Promise<Map<string, number>> {
    const answer = await call(`${server.url}/metrics`);
    expect(answer.status).toBe(200);
    const samples = new Map<string, number>();
    for (const line of answer.text.split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
      if (match) samples.set(match[1]!, Number(match[2]));
    }
    return samples;
  }

  test('GET /healthz checks the database and the queue of jobs', async () => {
    const answer = await call(`${server.url}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'ok', checks: { database: { status: 'ok' }, queue: { status: 'ok' } } });
  });

  test("the pools' use, the job engine's queues and the triggers' latency, labelled with the role", async () => {
    const acme = await api.acme();
    const before = await scrape();
    const started = await execute(api.url, 'acme', 'echo', acme, { triggerParameters: { key: 'value' } });
    expect(started.status).toBe(200);
    const ran = await finalResult(
      { url: api.url, finished: server.finished },
      'acme',
      'echo',
      started.json.triggerUUID,
      acme,
    );
    expect(ran.json).toMatchObject({ status: 'succeeded' });
    const after = await scrape();
    const grew = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
    expect(grew('autofacilitate_trigger_wait_seconds_count{role="worker"}')).toBe(1);
    expect(grew('autofacilitate_trigger_run_seconds_count{role="worker"}')).toBe(1);
    // Our pool has had connections open; poolSize bounds it.
    const open = after.get('autofacilitate_pool_connections{role="worker",pool="storage",state="total"}');
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(4);
    // Queries waiting for a connection: how many depends on the workers' polls at that moment.
    expect(
      after.get('autofacilitate_pool_connections{role="worker",pool="storage",state="waiting"}'),
    ).toBeGreaterThanOrEqual(0);
    expect(after.get('autofacilitate_pool_connections{role="worker",pool="storage",state="idle"}')).toBeLessThanOrEqual(
      open!,
    );
    expect(
      after.get('autofacilitate_pool_connections{role="worker",pool="queue",state="total"}'),
    ).toBeGreaterThanOrEqual(1);
    for (const queue of ['trigger', 'delivery', 'delivery-dead'])
      for (const state of ['queued', 'active', 'failed'])
        expect(after.get(`autofacilitate_jobs{role="worker",queue="${queue}",state="${state}"}`)).toEqual(
          expect.any(Number),
        );
  });

  test('GET /healthz is 503 while pg-boss does not answer, and says the database still does', async () => {
    // pg-boss's pool, ended: its fetches and supervise passes fail as they would with the engine gone.
    await (server.server.store as PostgresStorage).boss.stop({ graceful: false });
    const answer = await call(`${server.url}/healthz`);
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      status: 'unavailable',
      checks: { database: { status: 'ok' }, queue: { status: 'unavailable' } },
    });
  });
});
