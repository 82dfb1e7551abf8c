import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage, type Storage } from '../src';
import { call, execute, executeUrl, finalResult, requestToken, basic, result, type Caller } from './support/api-client';
import { logLines } from './support/log-lines';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';
import { VirtualClock } from './support/virtual-clock';

const internalError = {
  code: '500',
  message: 'Internal server error',
  errors: [{ scope: 'global', reason: 'Internal server error', message: 'An unexpected error occurred' }],
};

// The name of any method of the storage or of one of its repositories.
type StorageMethod = {
  [K in keyof Storage]: Storage[K] extends (...args: never[]) => unknown ? K : keyof Storage[K];
}[keyof Storage];

describe('a store that fails', () => {
  let server: TestServer;
  let acme: Caller;
  let dir: string;
  const failing = new Set<StorageMethod>();
  const clock = new VirtualClock();
  const log = logLines();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autofacilitate-faults-'));
    // The real storage, except for the methods a test makes fail, in it or in its repositories.
    const failable = <T extends object>(real: T): T =>
      new Proxy(real, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return typeof value === 'object' && value !== null ? failable(value) : value;
          return (...args: unknown[]) =>
            failing.has(property as StorageMethod)
              ? Promise.reject(new Error('disk I/O error'))
              : value.apply(target, args);
        },
      });
    const store = failable(new SqliteStorage({ file: join(dir, 'store.sqlite') }));
    server = await startTestServer(
      (raw) => {
        raw.server.logLevel = 'error';
      },
      { store, clock, logDestination: log.destination },
    );
    acme = await server.acme();
  });

  afterEach(() => failing.clear());

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('500 from execute, with nothing of the failure shown; the server goes on', async () => {
    failing.add('createTrigger');
    const answer = await execute(server.url, 'acme', 'echo', acme, {});
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual(internalError);
    failing.clear();
    expect((await execute(server.url, 'acme', 'echo', acme, {})).status).toBe(200);
  });

  test('500 from result', async () => {
    failing.add('findResult');
    const answer = await result(server.url, 'acme', 'echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', acme);
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual(internalError);
  });

  test('500 from the token endpoint, as an OAuth error', async () => {
    failing.add('saveToken');
    const answer = await requestToken(
      server.url,
      { grant_type: 'client_credentials' },
      { authorization: basic('acme-client', secrets.acmeClient) },
    );
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ error: 'server_error', error_description: 'An unexpected error occurred' });
  });

  test('a failing claim or usage flush is logged and retried, never thrown', async () => {
    failing.add('claimTriggers');
    failing.add('addUsage');
    const started = await execute(server.url, 'acme', 'echo', acme, { triggerParameters: { key: 'value' } });
    expect(await log.waitFor((line) => line.msg === 'claiming triggers failed')).toMatchObject({
      err: { message: 'disk I/O error' },
    });
    await expect(server.server.usage.flush()).rejects.toThrow('disk I/O error');
    // The flush of every interval logs its failure and keeps the counts.
    await clock.advance(server.config.usage.flushIntervalMs);
    expect(await log.waitFor((line) => line.msg === 'usage counts not saved; kept for the next flush')).toMatchObject({
      err: { message: 'disk I/O error' },
    });
    failing.clear();
    await server.server.usage.flush();
    // The next poll claims the trigger again, and it runs.
    await clock.advance(server.config.workers.pollIntervalMs);
    expect((await finalResult(server, 'acme', 'echo', started.json.triggerUUID, acme)).status).toBe(200);
  });

  test('GET /healthz is 503 while the store does not answer', async () => {
    failing.add('ping');
    const answer = await call(`${server.url}/healthz`);
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      status: 'unavailable',
      checks: { database: { status: 'unavailable' }, queue: { status: 'ok' } },
    });
  });

  test('GET /healthz is 503 while the queue does not answer, and says which', async () => {
    failing.add('pingQueue');
    const answer = await call(`${server.url}/healthz`);
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      status: 'unavailable',
      checks: { database: { status: 'ok' }, queue: { status: 'unavailable' } },
    });
  });
});

describe('the fault switch of test configurations', () => {
  test('is off unless the configuration turns it on', async () => {
    const server = await startTestServer();
    try {
      const acme = await server.acme();
      const answer = await execute(server.url, 'acme', 'echo', acme, {}, 'application/json', {
        'x-autofacilitate-fault': 'internal',
      });
      expect(answer.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('when on, fails a request after its checks', async () => {
    const server = await startTestServer((raw) => {
      raw.testing = { faultInjection: true };
    });
    try {
      const acme = await server.acme();
      const fault = { 'x-autofacilitate-fault': 'internal' };
      expect((await execute(server.url, 'acme', 'echo', acme, {}, 'application/json', fault)).json).toEqual(
        internalError,
      );
      expect(
        (await result(server.url, 'acme', 'echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', acme, fault)).json,
      ).toEqual(internalError);
      // Refusals still come first.
      expect((await execute(server.url, 'acme', 'echo', {}, {}, 'application/json', fault)).status).toBe(401);
      const unavailable = { 'x-autofacilitate-fault': 'unavailable' };
      expect((await call(`${server.url}/healthz`, { headers: unavailable })).json).toEqual({
        status: 'unavailable',
        checks: { database: { status: 'unavailable' }, queue: { status: 'unavailable' } },
      });
      // The limit checks meet a store that does not answer: refused, nothing written.
      const refused = await execute(server.url, 'acme', 'echo', acme, {}, 'application/json', unavailable);
      expect(refused.status).toBe(503);
      expect(refused.json.errors[0].message).toBe(
        'The execute rate limit could not be checked: the store does not answer; try again shortly',
      );
      const token = await requestToken(
        server.url,
        { grant_type: 'client_credentials' },
        { authorization: basic('acme-client', secrets.acmeClient), ...unavailable },
      );
      expect(token.status).toBe(503);
      expect(token.json.error).toBe('temporarily_unavailable');
    } finally {
      await server.close();
    }
  });

  test('hold keeps an execute in flight, holding its Idempotency-Key, until its client gives up; nothing is written', async () => {
    const log = logLines();
    const server = await startTestServer(
      (raw) => {
        raw.server.logLevel = 'error';
        raw.testing = { faultInjection: true };
        raw.workers.enabled = false;
      },
      { logDestination: log.destination },
    );
    try {
      const acme = await server.acme();
      const headers = {
        authorization: `Bearer ${acme.token}`,
        'x-api-key': acme.apiKey!,
        'content-type': 'application/json',
        'idempotency-key': 'held',
      };
      const client = new AbortController();
      // Each on a connection of its own, closed with it.
      const held = () =>
        new Promise<number | string>((resolve) => {
          const request = httpRequest(
            executeUrl(server.url, 'acme', 'echo'),
            {
              method: 'POST',
              headers: { ...headers, 'x-autofacilitate-fault': 'hold' },
              agent: false,
              signal: client.signal,
            },
            (response) => {
              response.resume();
              resolve(response.statusCode!);
            },
          );
          request.on('error', () => resolve('given up'));
          request.end('{}');
        });
      // Two race for the key: one holds it and is not answered, the other meets it in flight.
      expect(await Promise.race([held(), held()])).toBe(409);
      client.abort();
      // Once the held request has let the key go (and then failed), the same request starts the trigger.
      await log.waitFor((line) => line.msg === 'request failed' && /given up by its client/.test(line.err?.message));
      const again = await call(executeUrl(server.url, 'acme', 'echo'), { method: 'POST', headers, body: '{}' });
      expect(again.status).toBe(200);
      expect(await server.server.store.triggers.countUnfinishedTriggers('acme')).toBe(1);
    } finally {
      await server.close();
    }
  });
});
