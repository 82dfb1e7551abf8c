import { call, execute, result, tokenFor, type Caller } from './support/api-client';
import { VirtualClock } from './support/virtual-clock';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';
import { createHash } from 'node:crypto';

let server: TestServer;
let acme: Caller;
let globex: Caller;
const clock = new VirtualClock();

beforeAll(async () => {
  server = await startTestServer(undefined, { clock });
  acme = await server.acme();
  globex = await server.globex();
});

afterAll(() => server.close());

const body = { triggerParameters: { key: 'value' } };

function expectRefused(
  answer: { status: number; text: string; headers: Headers },
  challenge: string,
  credential = 'access-token',
) {
  expect(answer.status).toBe(401);
  expect(answer.text).toBe('');
  expect(answer.headers.get('www-authenticate')).toBe(challenge);
  expect(answer.headers.get('refused-credential')).toBe(credential);
}

describe('401 with no body and a Bearer challenge', () => {
  const operations = {
    execute: (caller: Caller) => execute(server.url, 'acme', 'echo', caller, body),
    result: (caller: Caller) => result(server.url, 'acme', 'echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', caller),
  };

  describe.each(Object.entries(operations))('%s', (operation, send) => {
    test('no token', async () => {
      expectRefused(await send({ apiKey: secrets.acmeKey }), 'Bearer realm="autofacilitate"');
    });

    test('not a Bearer token', async () => {
      const answer = await call(
        `${server.url}/via/v2/organizations/acme/autoFacilitate/result/echo/triggerUUID/0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d`,
        {
          headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}`, 'x-api-key': secrets.acmeKey },
        },
      );
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="autofacilitate", error="invalid_token"/);
    });

    test('an unknown token', async () => {
      expectRefused(
        await send({ token: 'not-a-token-we-issued', apiKey: secrets.acmeKey }),
        'Bearer realm="autofacilitate", error="invalid_token", error_description="The access token is unknown or has expired"',
      );
    });

    test('a token without the autofacilitateapi scope', async () => {
      const token = `a-token-for-another-api-${operation}`;
      await server.server.store.tokens.saveToken({
        tokenHash: createHash('sha256').update(token).digest('hex'),
        clientId: 'acme-client',
        orgId: 'acme',
        scope: 'reporting',
        issuedAt: clock.now(),
        expiresAt: clock.now() + 60_000,
      });
      expectRefused(
        await send({ token, apiKey: secrets.acmeKey }),
        'Bearer realm="autofacilitate", error="insufficient_scope", error_description="The access token lacks the autofacilitateapi scope", scope="autofacilitateapi"',
      );
    });

    test('no API key', async () => {
      expectRefused(
        await send({ token: acme.token! }),
        'Bearer realm="autofacilitate", error="invalid_request", error_description="The x-api-key header is missing or unknown"',
        'api-key',
      );
    });

    test('an unknown API key', async () => {
      const answer = await send({ token: acme.token!, apiKey: 'not-a-key' });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_request"');
      expect(answer.headers.get('refused-credential')).toBe('api-key');
    });

    test("another organisation's API key", async () => {
      const answer = await send({ token: acme.token!, apiKey: secrets.globexKey });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_request"');
      expect(answer.headers.get('refused-credential')).toBe('api-key');
    });
  });

  test('an expired token', async () => {
    const token = await tokenFor(server.url, 'acme-client', secrets.acmeClient);
    expect((await execute(server.url, 'acme', 'echo', { token, apiKey: secrets.acmeKey }, body)).status).toBe(200);
    await clock.advance(3600 * 1000);
    expectRefused(
      await execute(server.url, 'acme', 'echo', { token, apiKey: secrets.acmeKey }, body),
      'Bearer realm="autofacilitate", error="invalid_token", error_description="The access token is unknown or has expired"',
    );
    acme = await server.acme();
    globex = await server.globex();
  });

  test('credentials are checked before the body is read', async () => {
    expectRefused(
      await execute(server.url, 'acme', 'echo', {}, 'x'.repeat(2 * 1024 * 1024), 'text/plain'),
      'Bearer realm="autofacilitate"',
    );
  });
});

describe('another organisation answers 404, exactly like one that does not exist', () => {
  test('execute on its path', async () => {
    const other = await execute(server.url, 'globex', 'echo', acme, body);
    const unknown = await execute(server.url, 'initech', 'echo', acme, body);
    expect(other.status).toBe(404);
    expect(other.json).toEqual({
      code: '404',
      message: 'Not found',
      errors: [{ scope: 'path.orgId', reason: 'Not found', message: 'Organisation globex not found' }],
    });
    expect(unknown.json).toEqual({
      ...other.json,
      errors: [{ ...other.json.errors[0], message: 'Organisation initech not found' }],
    });
  });

  test('its trigger, on its own path or on ours', async () => {
    const started = await execute(server.url, 'globex', 'echo', globex, body);
    expect(started.status).toBe(200);
    const { triggerUUID } = started.json;
    expect((await result(server.url, 'globex', 'echo', triggerUUID, globex)).status).not.toBe(404);

    const onTheirPath = await result(server.url, 'globex', 'echo', triggerUUID, acme);
    expect(onTheirPath.status).toBe(404);
    const onOurPath = await result(server.url, 'acme', 'echo', triggerUUID, acme);
    const neverExisted = await result(server.url, 'acme', 'echo', '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d', acme);
    expect(onOurPath.status).toBe(404);
    expect(onOurPath.json).toEqual({
      ...neverExisted.json,
      errors: [{ ...neverExisted.json.errors[0], message: `Trigger ${triggerUUID} not found` }],
    });
  });
});

describe('x-request-id', () => {
  test('every answer carries one, refusals included', async () => {
    const answers = [
      await execute(server.url, 'acme', 'echo', acme, body),
      await execute(server.url, 'acme', 'echo', {}, body),
      await call(`${server.url}/nowhere`),
    ];
    const ids = answers.map((answer) => answer.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("the caller's own id is kept when it is plain, replaced when it is not", async () => {
    const kept = await call(`${server.url}/healthz`, { headers: { 'x-request-id': 'caller-id.42' } });
    expect(kept.headers.get('x-request-id')).toBe('caller-id.42');
    const replaced = await call(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
