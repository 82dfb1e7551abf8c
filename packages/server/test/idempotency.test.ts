import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage, type Storage } from '../src';
import { execute, type Answer, type Caller } from './support/api-client';
import { VirtualClock } from './support/virtual-clock';
import type { RawConfig } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

// Workers off: these tests count the triggers execute writes.
const workersOff = (raw: RawConfig) => {
  raw.workers.enabled = false;
};

const body = {
  triggerParameters: { customerId: '42', channel: 'voice' },
  callbackUrls: ['https://hooks.example.com/cb'],
};
const withKey = (key: string) => ({ 'idempotency-key': key });

function executeWith(
  server: TestServer,
  caller: Caller,
  key: string,
  sent: unknown = body,
  contentType = 'application/json',
): Promise<Answer> {
  return execute(server.url, 'acme', 'echo', caller, sent, contentType, withKey(key));
}

async function unfinished(server: TestServer): Promise<number> {
  return server.server.store.triggers.countUnfinishedTriggers('acme');
}

describe('with the real store', () => {
  let server: TestServer;
  let acme: Caller;

  beforeAll(async () => {
    server = await startTestServer(workersOff);
    acme = await server.acme();
  });

  afterAll(() => server.close());

  test('20 concurrent identical requests start one trigger; the others are in flight (409) or replays of it', async () => {
    const before = await unfinished(server);
    const answers = await Promise.all(Array.from({ length: 20 }, () => executeWith(server, acme, 'order-7-start')));
    expect(await unfinished(server)).toBe(before + 1);
    const started = answers.filter((answer) => answer.status === 200);
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(new Set(started.map((answer) => answer.json.triggerUUID)).size).toBe(1);
    for (const answer of answers.filter((other) => other.status !== 200)) {
      expect(answer.status).toBe(409);
      expect(answer.json).toEqual({
        code: '409',
        message: 'Conflict',
        errors: [
          {
            scope: 'header.Idempotency-Key',
            reason: 'Request in progress',
            message: 'A request with this Idempotency-Key is still being handled',
          },
        ],
      });
    }

    const repeat = await executeWith(server, acme, 'order-7-start');
    expect(repeat.status).toBe(200);
    expect(repeat.json).toEqual(started[0]!.json);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(await unfinished(server)).toBe(before + 1);
  });

  test('the same key with another body answers 422, and starts nothing', async () => {
    const first = await executeWith(server, acme, 'order-8');
    const before = await unfinished(server);
    const other = await executeWith(server, acme, 'order-8', {
      ...body,
      triggerParameters: { customerId: '43', channel: 'voice' },
    });
    expect(other.status).toBe(422);
    expect(other.json.errors).toEqual([
      {
        scope: 'header.Idempotency-Key',
        reason: 'Unprocessable Entity',
        message: 'This Idempotency-Key was used with another request: use a new key for a new request',
      },
    ]);
    // Another service is another request too.
    const elsewhere = await execute(server.url, 'acme', 'quick', acme, body, 'application/json', withKey('order-8'));
    expect(elsewhere.status).toBe(422);
    expect(await unfinished(server)).toBe(before);
    expect((await executeWith(server, acme, 'order-8')).json.triggerUUID).toBe(first.json.triggerUUID);
  });

  test('the same request as XML is a repeat; parameters in another order too', async () => {
    const first = await executeWith(server, acme, 'order-9');
    const xml =
      '<root><triggerParameters><channel>voice</channel><customerId>42</customerId></triggerParameters>' +
      '<callbackUrls>https://hooks.example.com/cb</callbackUrls></root>';
    const repeat = await executeWith(server, acme, 'order-9', xml, 'application/xml');
    expect(repeat.status).toBe(200);
    expect(repeat.json.triggerUUID).toBe(first.json.triggerUUID);
  });

  test('keys are per organisation', async () => {
    const first = await executeWith(server, acme, 'order-10');
    const globex = await execute(
      server.url,
      'globex',
      'echo',
      await server.globex(),
      { triggerParameters: {} },
      'application/json',
      withKey('order-10'),
    );
    expect(globex.status).toBe(200);
    expect(globex.json.triggerUUID).not.toBe(first.json.triggerUUID);
  });

  test('a request refused before anything was written keeps no key: the corrected request goes through', async () => {
    const refused = await execute(
      server.url,
      'acme',
      'needs-customer',
      acme,
      { triggerParameters: {} },
      'application/json',
      withKey('order-11'),
    );
    expect(refused.status).toBe(422);
    const corrected = await execute(
      server.url,
      'acme',
      'needs-customer',
      acme,
      body,
      'application/json',
      withKey('order-11'),
    );
    expect(corrected.status).toBe(200);
  });

  test('a key is 1 to 255 characters (400)', async () => {
    expect((await executeWith(server, acme, 'k'.repeat(256))).status).toBe(400);
    expect((await executeWith(server, acme, 'k'.repeat(255))).status).toBe(200);
  });
});

describe('with a store held or failing on purpose', () => {
  let dir: string;
  let real: SqliteStorage;
  let server: TestServer;
  let acme: Caller;
  let gate: Promise<void> | undefined;
  let entered: (() => void) | undefined;
  let failNext = false;
  const clock = new VirtualClock();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autofacilitate-idempotency-'));
    real = new SqliteStorage({ file: join(dir, 'store.sqlite') });
    // The real store, but a trigger's write waits for the gate when there is one, or fails once.
    const store = new Proxy(real, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'createTrigger') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<Storage['createTrigger']>) => {
          if (failNext) {
            failNext = false;
            throw new Error('disk I/O error');
          }
          entered?.();
          await gate;
          return target.createTrigger(...args);
        };
      },
    });
    server = await startTestServer(workersOff, { store, clock });
    acme = await server.acme();
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a repeat while the first is in flight answers 409; once it is answered, the repeat answers the same', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const writing = new Promise<void>((resolve) => (entered = resolve));
    const first = executeWith(server, acme, 'order-20');
    // The first holds the key, and waits at the gate to write its trigger.
    await writing;
    entered = undefined;
    const repeat = await executeWith(server, acme, 'order-20');
    expect(repeat.status).toBe(409);
    open();
    gate = undefined;
    const answered = await first;
    expect(answered.status).toBe(200);
    expect((await executeWith(server, acme, 'order-20')).json).toEqual(answered.json);
  });

  test('a request that failed writing (500) frees its key for the retry', async () => {
    failNext = true;
    expect((await executeWith(server, acme, 'order-21')).status).toBe(500);
    const retried = await executeWith(server, acme, 'order-21');
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  test('keys are kept for 24 hours, then the same key starts a new trigger', async () => {
    const first = await executeWith(server, acme, 'order-22');
    await clock.advance(24 * 3600 * 1000 - 1);
    // The clock moved past the token's lifetime too.
    acme = await server.acme();
    expect((await executeWith(server, acme, 'order-22')).json.triggerUUID).toBe(first.json.triggerUUID);
    await clock.advance(1);
    const later = await executeWith(server, acme, 'order-22');
    expect(later.status).toBe(200);
    expect(later.json.triggerUUID).not.toBe(first.json.triggerUUID);
  });
});
