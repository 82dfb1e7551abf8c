import { execute, type Answer, type Caller } from './support/api-client';
import { VirtualClock } from './support/virtual-clock';
import { startTestServer, type TestServer } from './support/test-server';

function expectProblems(answer: Answer, status: number, problems: Array<[string, string]>) {
  expect(answer.status).toBe(status);
  expect(answer.json).toEqual({
    code: String(status),
    message: expect.any(String),
    errors: problems.map(([scope, message]) => ({ scope, reason: expect.any(String), message })),
  });
}

describe('the size of a trigger', () => {
  let server: TestServer;
  let acme: Caller;

  beforeAll(async () => {
    server = await startTestServer((raw) => {
      raw.workers.enabled = false;
    });
    acme = await server.acme();
  });

  afterAll(() => server.close());

  const parameters = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, 'v']));
  const urls = (count: number) => Array.from({ length: count }, (_, i) => `https://hooks.example.com/cb/${i}`);

  test('up to every limit is accepted: 100 parameters, names of 128 bytes, values of 8192 bytes, 5 callback URLs of 2048 bytes', async () => {
    const longUrl = `https://hooks.example.com/${'a'.repeat(2048 - 'https://hooks.example.com/'.length)}`;
    const answer = await execute(server.url, 'acme', 'echo', acme, {
      triggerParameters: { ...parameters(98), ['n'.repeat(128)]: 'v', long: 'é'.repeat(4096) },
      callbackUrls: [...urls(4), longUrl],
    });
    expect(answer.status).toBe(200);
  });

  test('422 beyond them, every problem named, nothing written', async () => {
    const before = await server.server.store.triggers.countUnfinishedTriggers('acme');
    const answer = await execute(server.url, 'acme', 'echo', acme, {
      triggerParameters: { ...parameters(99), ['n'.repeat(129)]: 'v', long: 'é'.repeat(4097), '': 'nameless' },
      callbackUrls: [...urls(5), `https://hooks.example.com/${'a'.repeat(2048)}`],
    });
    expectProblems(answer, 422, [
      ['body.triggerParameters', 'A trigger has at most 100 parameters, not 102'],
      [`body.triggerParameters.${'n'.repeat(129)}`, 'A parameter name is at most 128 bytes long'],
      ['body.triggerParameters.long', 'A parameter value is at most 8192 bytes long'],
      ['body.triggerParameters.', 'A parameter name must not be empty'],
      ['body.callbackUrls', 'A trigger has at most 5 callback URLs, not 6'],
      ['body.callbackUrls[5]', 'A callback URL is at most 2048 bytes long'],
    ]);
    expect(await server.server.store.triggers.countUnfinishedTriggers('acme')).toBe(before);
  });

  test('422 in XML too', async () => {
    const xml = `<root><triggerParameters>${Object.keys(parameters(101))
      .map((name) => `<${name}>v</${name}>`)
      .join('')}</triggerParameters></root>`;
    expectProblems(await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml'), 422, [
      ['body.triggerParameters', 'A trigger has at most 100 parameters, not 101'],
    ]);
  });

  test('400 for a callback URL with credentials', async () => {
    expectProblems(
      await execute(server.url, 'acme', 'echo', acme, { callbackUrls: ['https://user:pass@hooks.example.com/cb'] }),
      400,
      [['body.callbackUrls[0]', 'body.callbackUrls[0] must not carry credentials (user:password@)']],
    );
  });

  test('422 for callback URLs when the organisation has no secret to sign them with', async () => {
    const answer = await execute(server.url, 'globex', 'echo', await server.globex(), {
      callbackUrls: ['https://hooks.example.com/cb'],
    });
    expectProblems(answer, 422, [
      ['body.callbackUrls', 'The organisation globex has no secret to sign callbacks with'],
    ]);
  });
});

describe('the execute rate of a client', () => {
  const clock = new VirtualClock();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(
      (raw) => {
        raw.workers.enabled = false;
        raw.limits = { executeRate: { perSecond: 0.5, burst: 2 } };
        raw.organisations.globex.clients['globex-client'].executeRate = { perSecond: 100, burst: 100 };
      },
      { clock },
    );
  });

  afterAll(() => server.close());

  test('429 with Retry-After once its bucket is empty, per client; tokens flow back at its rate', async () => {
    const acme = await server.acme();
    expect((await execute(server.url, 'acme', 'echo', acme, {})).status).toBe(200);
    expect((await execute(server.url, 'acme', 'echo', acme, {})).status).toBe(200);
    const refused = await execute(server.url, 'acme', 'echo', acme, {});
    expectProblems(refused, 429, [
      ['global', 'The client acme-client may start at most 0.5 triggers per second (bursts of 2)'],
    ]);
    expect(refused.json.errors[0].reason).toBe('Rate limit exceeded');
    expect(refused.headers.get('retry-after')).toBe('2');
    // Refused before the body is read, even a bad one.
    expect((await execute(server.url, 'acme', 'echo', acme, 'not JSON')).status).toBe(429);

    // Another client has its own bucket, and its own rate.
    const globex = await server.globex();
    for (let i = 0; i < 5; i++) expect((await execute(server.url, 'globex', 'echo', globex, {})).status).toBe(200);

    await clock.advance(1999);
    expect((await execute(server.url, 'acme', 'echo', acme, {})).status).toBe(429);
    await clock.advance(1);
    expect((await execute(server.url, 'acme', 'echo', acme, {})).status).toBe(200);
  });
});

describe('the queue of an organisation', () => {
  test('429 with Retry-After once it has as many unfinished triggers as it may; another organisation is not held up', async () => {
    const server = await startTestServer((raw) => {
      raw.workers.enabled = false;
      raw.limits = { queuedTriggers: 3 };
    });
    try {
      const acme = await server.acme();
      for (let i = 0; i < 3; i++) expect((await execute(server.url, 'acme', 'echo', acme, {})).status).toBe(200);
      const refused = await execute(server.url, 'acme', 'echo', acme, {});
      expectProblems(refused, 429, [
        ['global', 'The organisation acme has as many unfinished triggers as it may have'],
      ]);
      expect(refused.json.errors[0].reason).toBe('Queue full');
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await server.server.store.triggers.countUnfinishedTriggers('acme')).toBe(3);
      expect((await execute(server.url, 'globex', 'echo', await server.globex(), {})).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('once triggers finish, there is room again', async () => {
    const clock = new VirtualClock();
    const server = await startTestServer(
      (raw) => {
        raw.limits = { queuedTriggers: 1 };
      },
      { clock },
    );
    try {
      const acme = await server.acme();
      const first = await execute(server.url, 'acme', 'quick', acme, {});
      expect(first.status).toBe(200);
      await server.finished('acme', first.json.triggerUUID);
      // The queue's count is trusted for a quarter second; the next count finds room.
      expect((await execute(server.url, 'acme', 'quick', acme, {})).status).toBe(429);
      await clock.advance(250);
      const answer = await execute(server.url, 'acme', 'quick', acme, {});
      expect(answer.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
