import { Client, type Pool } from 'pg';
import { limitCheckDeadlineMs } from '../src/limits/within-deadline';
import { migratePostgres } from '../src/storage/postgres/postgres-migrations';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage';
import { PostgresRateLimiter } from '../src/storage/postgres/postgres-rate-limiter';
import { basic, execute, requestToken, type Answer, type Caller } from './support/api-client';
import { rateLimiterConformance } from './support/conformance/rate-limiter-conformance';
import { usePostgresCluster } from './support/postgres-cluster';
import type { RawConfig } from './support/test-config';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';
import { VirtualClock } from './support/virtual-clock';

// The limits on PostgreSQL hold for the cluster: two servers on one database (as two processes
// behind a load balancer would be) allow the rate once between them, not twice.

const cluster = usePostgresCluster();

describe('the shared buckets', () => {
  let url: string;
  const pools: Pool[] = [];

  beforeAll(async () => {
    url = await cluster.createDatabase();
    const pool = createPostgresPool({ url, poolSize: 1 });
    pools.push(pool);
    await migratePostgres(pool);
  });

  afterAll(async () => {
    for (const pool of pools) await pool.end();
  });

  // Two processes' limiters: each its own pool, and its own memory of what it was refused.
  rateLimiterConformance('PostgreSQL', async () => {
    await pools[0]!.query('TRUNCATE rate_limits');
    const clock = new VirtualClock();
    const [one, two] = [createPostgresPool({ url, poolSize: 2 }), createPostgresPool({ url, poolSize: 2 })];
    pools.push(one, two);
    return {
      clock,
      first: new PostgresRateLimiter(one, 'execute', clock),
      second: new PostgresRateLimiter(two, 'execute', clock),
    };
  });

  test('a take, a give-back and a refusal commit without waiting for the disk', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      // The limiter's statements, each in a transaction left open to read the setting it commits with.
      const inTransaction = { query: (sql: string, values: unknown[]) => client.query(sql, values) } as unknown as Pool;
      const limiter = new PostgresRateLimiter(inTransaction, 'relaxed', new VirtualClock());
      const rate = { perSecond: 1, burst: 1 };
      const commitSetting = async (step: () => Promise<unknown>) => {
        await client.query('BEGIN');
        await step();
        const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        await client.query('COMMIT');
        return rows[0]!.synchronous_commit;
      };
      expect(await commitSetting(() => limiter.take('key', rate))).toBe('off');
      expect(await commitSetting(() => limiter.giveBack('key', rate))).toBe('off');
      expect(await commitSetting(() => limiter.take('key', rate))).toBe('off');
      // Refused: the row was only locked, and that commit does not wait either.
      expect(await commitSetting(() => expect(limiter.take('key', rate)).resolves.toBeGreaterThan(0))).toBe('off');
    } finally {
      await client.end();
    }
  });

  test("the retention sweep's purge forgets the buckets that are full again, and only those", async () => {
    const storage = await PostgresStorage.open({ url, poolSize: 2 });
    try {
      const clock = new VirtualClock();
      const limiter = storage.rateLimiter('purged', clock);
      const rate = { perSecond: 1, burst: 2 };
      await limiter.take('full-soon', rate);
      await clock.advance(5000);
      await limiter.take('recent', rate);
      const keys = async () =>
        (
          await pools[0]!.query<{ limit_key: string }>(
            "SELECT limit_key FROM rate_limits WHERE limit_key LIKE 'purged%' ORDER BY limit_key",
          )
        ).rows.map((row) => row.limit_key);
      expect(await keys()).toEqual(['purged\nfull-soon', 'purged\nrecent']);
      await storage.purge(0, clock.now());
      expect(await keys()).toEqual(['purged\nrecent']);
    } finally {
      await storage.close();
    }
  });

  test('limits of other names keep their own buckets under the same key', async () => {
    const clock = new VirtualClock();
    const rate = { perSecond: 1, burst: 1 };
    const execute = new PostgresRateLimiter(pools[0]!, 'execute', clock);
    const failures = new PostgresRateLimiter(pools[0]!, 'failed-authentications', clock);
    expect(await execute.take('same', rate)).toBeUndefined();
    expect(await execute.take('same', rate)).toBe(1);
    expect(await failures.take('same', rate)).toBeUndefined();
  });
});

describe('two servers on one database', () => {
  let clock: VirtualClock;
  let servers: TestServer[] = [];

  async function startTwo(adjust: (raw: RawConfig) => void): Promise<[TestServer, TestServer]> {
    const url = await cluster.createDatabase();
    clock = new VirtualClock();
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startTestServer(
          (raw) => {
            raw.storage = { postgres: { url, poolSize: 4 } };
            raw.workers.enabled = false;
            raw.callbacks.enabled = false;
            adjust(raw);
          },
          { clock },
        ),
      );
    }
    return [servers[0]!, servers[1]!];
  }

  afterEach(async () => {
    for (const server of servers) await server.close();
    servers = [];
  });

  const body = { triggerParameters: { key: 'value' } };
  const statuses = (answers: Answer[]) => answers.map((answer) => answer.status);

  test('the execute rate holds across both: over a window, the two accept rate × window + burst between them', async () => {
    const [a, b] = await startTwo((raw) => {
      raw.limits = { executeRate: { perSecond: 2, burst: 3 } };
    });
    const acme: Caller = await a.acme();
    const executes = async (count: number) => {
      const answers: Answer[] = [];
      for (let i = 0; i < count; i++) answers.push(await execute((i % 2 ? b : a).url, 'acme', 'echo', acme, body));
      return answers;
    };
    // The burst, shared: three of ten accepted, whichever server took them.
    const burst = await executes(10);
    expect(statuses(burst)).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    expect(burst[3]!.json.errors[0].message).toBe(
      'The client acme-client may start at most 2 triggers per second (bursts of 3)',
    );
    expect(burst[3]!.headers.get('retry-after')).toBe('1');
    // A second later, two more tokens have flowed back: burst + rate × 1 s in the window, no more.
    await clock.advance(1000);
    const later = await executes(10);
    expect(statuses(later).filter((status) => status === 200)).toHaveLength(2);
    expect(statuses([...burst, ...later]).filter((status) => status === 200)).toHaveLength(3 + 2 * 1);
  });

  test('executes arriving at once on both servers share the burst: never one token taken twice', async () => {
    const [a, b] = await startTwo((raw) => {
      raw.limits = { executeRate: { perSecond: 1, burst: 5 } };
    });
    const acme = await a.acme();
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => execute((i % 2 ? b : a).url, 'acme', 'echo', acme, body)),
    );
    expect(statuses(answers).filter((status) => status === 200)).toHaveLength(5);
    expect(statuses(answers).filter((status) => status === 429)).toHaveLength(19);
    expect(await a.server.store.triggers.countUnfinishedTriggers('acme')).toBe(5);
  });

  test("the token endpoint's failure limit holds across both", async () => {
    const [a, b] = await startTwo((raw) => {
      raw.limits = { failedAuthentications: { perSecond: 0.2, burst: 3 } };
    });
    const guess = (server: TestServer, secret: string) =>
      requestToken(server.url, { grant_type: 'client_credentials' }, { authorization: basic('acme-client', secret) });
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await guess(i % 2 ? b : a, `guess-${i}`));
    expect(statuses(answers)).toEqual([401, 401, 401, 429, 429, 429]);
    expect(answers[3]!.json).toEqual({
      error: 'slow_down',
      error_description: 'Too many failed client authentications: try again later',
    });
    // Even the right secret waits while the client id is throttled, on either server.
    expect((await guess(b, secrets.acmeClient)).status).toBe(429);
    // One failure's worth flows back after 5 s: one more guess, on the other server.
    await clock.advance(5000);
    expect(statuses([await guess(b, 'again'), await guess(a, 'and again')])).toEqual([401, 429]);
  });

  test("the queue bound counts the whole cluster's unfinished triggers, the others' of a moment ago included", async () => {
    const [a, b] = await startTwo((raw) => {
      raw.limits = { queuedTriggers: 3 };
    });
    const acme = await a.acme();
    const on = (server: TestServer) => execute(server.url, 'acme', 'echo', acme, body);
    // Each server has counted; time does not move, so neither count is a quarter second old.
    expect(statuses([await on(a), await on(b), await on(a)])).toEqual([200, 200, 200]);
    const full = await on(b);
    expect(full.status).toBe(429);
    expect(full.json.errors[0].message).toBe('The organisation acme has as many unfinished triggers as it may have');
    expect((await on(a)).status).toBe(429);
    expect(await a.server.store.triggers.countUnfinishedTriggers('acme')).toBe(3);
  });

  test('guesses arriving at once on both servers are counted before any is checked', async () => {
    const [a, b] = await startTwo((raw) => {
      raw.limits = { failedAuthentications: { perSecond: 0.01, burst: 3 } };
    });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        requestToken(
          (i % 2 ? b : a).url,
          { grant_type: 'client_credentials' },
          { authorization: basic('acme-client', `guess-${i}`) },
        ),
      ),
    );
    // Two buckets per guess (the client id's, the address's) taken at once may refuse a guess that
    // a later one lets through: at most the burst is checked, and what was not spent is given back.
    const checked = statuses(answers).filter((status) => status === 401).length;
    expect(checked).toBeLessThanOrEqual(3);
    expect(statuses(answers).filter((status) => status === 429)).toHaveLength(12 - checked);
    const after: number[] = [];
    for (let i = 0; i < 4; i++) {
      const server = i % 2 ? a : b;
      after.push(
        (
          await requestToken(
            server.url,
            { grant_type: 'client_credentials' },
            { authorization: basic('acme-client', `later-${i}`) },
          )
        ).status,
      );
    }
    // No more than the burst is ever checked, together or after. (A server that was refused
    // remembers it until the Retry-After it answered, so a token given back meanwhile may wait.)
    expect(checked + after.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    expect(after.at(-1)).toBe(429);
  });

  test('a database that does not answer a rate check in time is a 503, not a pass', async () => {
    const [a] = await startTwo(() => undefined);
    const acme = await a.acme();
    expect((await execute(a.url, 'acme', 'echo', acme, body)).status).toBe(200);
    // Another session holds the client's bucket: the check waits on its lock.
    const holder = new Client({ connectionString: a.config.storage.postgres.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM rate_limits FOR UPDATE');
      const answer = execute(a.url, 'acme', 'echo', acme, body);
      await clock.whenSet(limitCheckDeadlineMs);
      await clock.advance(limitCheckDeadlineMs);
      const refused = await answer;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.json).toEqual({
        code: '503',
        message: 'Service Unavailable',
        errors: [
          {
            scope: 'global',
            reason: 'Service Unavailable',
            message: 'The execute rate limit could not be checked: the store does not answer; try again shortly',
          },
        ],
      });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await a.server.store.triggers.countUnfinishedTriggers('acme')).toBe(1);
  });

  test('a database that refuses connections during the checks is a 503 at execute and at the token endpoint', async () => {
    const [a] = await startTwo(() => undefined);
    const acme = await a.acme();
    // The caller is known now: the next execute's first use of the database is its rate check.
    expect((await execute(a.url, 'acme', 'echo', acme, body)).status).toBe(200);
    const url = new URL(a.config.storage.postgres.url!);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.href });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
      const refused = await execute(a.url, 'acme', 'echo', acme, body);
      expect(refused.status).toBe(503);
      expect(refused.json.errors[0].message).toBe(
        'The execute rate limit could not be checked: the store does not answer; try again shortly',
      );
      const token = await requestToken(
        a.url,
        { grant_type: 'client_credentials' },
        { authorization: basic('acme-client', 'a guess') },
      );
      expect(token.status).toBe(503);
      expect(token.headers.get('retry-after')).toBe('1');
      expect(token.json).toEqual({
        error: 'temporarily_unavailable',
        error_description:
          'The failed authentications could not be checked: the store does not answer; try again shortly',
      });
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});
