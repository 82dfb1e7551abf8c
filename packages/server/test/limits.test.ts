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

  test('up to every limit the spec states is accepted: 100 parameters, values of 8192 characters, 5 callback URLs of 2048 characters', async () => {
    const longUrl = `https://hooks.example.com/${'a'.repeat(2048 - 'https://hooks.example.com/'.length)}`;
    const answer = await execute(server.url, 'acme', 'echo', acme, {
      // Lengths are characters, as JSON Schema counts them: 8192 of them in 32768 bytes.
      triggerParameters: { ...parameters(98), long: '😀'.repeat(8192), ['n'.repeat(1000)]: 'any name' },
      callbackUrls: [...urls(4), longUrl],
    });
    expect(answer.status).toBe(200);
  });

  test('any parameter name, the empty one and a long one included: the spec states no rule on names', async () => {
    const triggerParameters = { '': 'nameless', ['n'.repeat(129)]: 'long', 'with space': 'x' };
    const answer = await execute(server.url, 'acme', 'echo', acme, { triggerParameters });
    expect(answer.status).toBe(200);
    expect(
      (await server.server.store.triggers.findTrigger('acme', answer.json.triggerUUID))?.triggerParameters,
    ).toEqual(triggerParameters);
  });

  test.each([
    [
      '101 parameters',
      { triggerParameters: parameters(101) },
      'body.triggerParameters',
      'must NOT have more than 100 properties',
    ],
    [
      'a value of 8193 characters',
      { triggerParameters: { long: 'é'.repeat(8193) } },
      'body.triggerParameters.long',
      'must NOT have more than 8192 characters',
    ],
    ['6 callback URLs', { callbackUrls: urls(6) }, 'body.callbackUrls', 'must NOT have more than 5 items'],
    [
      'a callback URL of 2049 characters',
      { callbackUrls: [`https://hooks.example.com/${'a'.repeat(2049 - 26)}`] },
      'body.callbackUrls[0]',
      'must NOT have more than 2048 characters',
    ],
  ])(
    'one past a limit, %s, is a 400 naming it (the schema refuses it), nothing written',
    async (_, body, scope, detail) => {
      const before = await server.server.store.triggers.countUnfinishedTriggers('acme');
      expectProblems(await execute(server.url, 'acme', 'echo', acme, body), 400, [[scope, `${scope} ${detail}`]]);
      expect(await server.server.store.triggers.countUnfinishedTriggers('acme')).toBe(before);
    },
  );

  test('400 in XML too', async () => {
    const xml = `<root><triggerParameters>${Object.keys(parameters(101))
      .map((name) => `<${name}>v</${name}>`)
      .join('')}</triggerParameters></root>`;
    expectProblems(await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml'), 400, [
      ['body.triggerParameters', 'body.triggerParameters must NOT have more than 100 properties'],
    ]);
  });

  test('400 for a callback URL with credentials', async () => {
    expectProblems(
      await execute(server.url, 'acme', 'echo', acme, { callbackUrls: ['https://user:pass@hooks.example.com/cb'] }),
      400,
      [
        [
          'body.callbackUrls[0]',
          'body.callbackUrls[0] must be an http:// or https:// URL without credentials, its host a name or an IP address (schema urls)',
        ],
      ],
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

describe('limits an operator configures', () => {
  let server: TestServer;
  let acme: Caller;

  beforeAll(async () => {
    server = await startTestServer((raw) => {
      raw.workers.enabled = false;
      raw.limits = { triggerParameters: 2, parameterValueLength: 3, callbackUrls: 1, callbackUrlLength: 30 };
    });
    acme = await server.acme();
  });

  afterAll(() => server.close());

  test("replace the spec's in the schemas the server checks: at them accepted, one past a 400 naming the configured limit", async () => {
    const atLimits = { triggerParameters: { a: 'abc', b: 'xyz' }, callbackUrls: ['https://hooks.example.com/0123'] };
    expect((await execute(server.url, 'acme', 'echo', acme, atLimits)).status).toBe(200);
    const refused = [
      [{ triggerParameters: { a: '', b: '', c: '' } }, 'body.triggerParameters must NOT have more than 2 properties'],
      [{ triggerParameters: { a: 'abcd' } }, 'body.triggerParameters.a must NOT have more than 3 characters'],
      [
        { callbackUrls: ['https://a.example.com', 'https://b.example.com'] },
        'body.callbackUrls must NOT have more than 1 items',
      ],
      [
        { callbackUrls: ['https://hooks.example.com/01234'] },
        'body.callbackUrls[0] must NOT have more than 30 characters',
      ],
    ] as const;
    for (const [body, message] of refused) {
      const answer = await execute(server.url, 'acme', 'echo', acme, body);
      expect(answer.status).toBe(400);
      expect(answer.json.errors[0].message).toBe(message);
    }
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
