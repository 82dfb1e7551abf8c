import { admin } from './support/admin-client';
import { call, execute, executeUrl, type Answer, type Caller } from './support/api-client';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let acme: Caller;

beforeAll(async () => {
  // Workers off: these tests look at what execute writes, not at runs.
  server = await startTestServer((raw) => {
    raw.workers.enabled = false;
  });
  acme = await server.acme();
});

afterAll(() => server.close());

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectErrorResponse(answer: Answer, status: number, scope: string) {
  expect(answer.status).toBe(status);
  expect(answer.json).toEqual({
    code: String(status),
    message: expect.any(String),
    errors: [expect.objectContaining({ scope, reason: expect.any(String), message: expect.any(String) })],
  });
}

describe('execute with JSON', () => {
  test('200: answers with a fresh triggerUUID and writes a queued trigger', async () => {
    const body = { triggerParameters: { key: 'value' }, callbackUrls: ['https://mycompany.com/callbacks/id=123'] };
    const answer = await execute(server.url, 'acme', 'echo', acme, body);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      message: 'Successfully triggered echo@acme',
      triggerUUID: expect.stringMatching(uuid),
    });
    const trigger = await server.server.store.triggers.findTrigger('acme', answer.json.triggerUUID);
    expect(trigger).toMatchObject({
      vsn: 'echo',
      status: 'queued',
      triggerParameters: { key: 'value' },
      callbackUrls: ['https://mycompany.com/callbacks/id=123'],
      requestId: answer.headers.get('x-request-id'),
    });
  });

  test('200: both parts of the body are optional', async () => {
    const answer = await execute(server.url, 'acme', 'echo', acme, {});
    expect(answer.status).toBe(200);
    expect(await server.server.store.triggers.findTrigger('acme', answer.json.triggerUUID)).toMatchObject({
      triggerParameters: {},
      callbackUrls: [],
    });
  });

  test('every trigger gets its own triggerUUID', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => execute(server.url, 'acme', 'echo', acme, {})));
    expect(new Set(answers.map((answer) => answer.json.triggerUUID)).size).toBe(5);
  });

  test('400: JSON that does not parse', async () => {
    const answer = await execute(server.url, 'acme', 'echo', acme, '{"triggerParameters": {');
    expectErrorResponse(answer, 400, 'body');
    expect(answer.json.errors[0].message).toBe('The request body is not valid JSON');
  });

  test('400: an empty body', async () => {
    expectErrorResponse(await execute(server.url, 'acme', 'echo', acme, ''), 400, 'body');
  });

  test('400: no body at all', async () => {
    const answer = await call(executeUrl(server.url, 'acme', 'echo'), {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.token}`, 'x-api-key': acme.apiKey! },
    });
    expectErrorResponse(answer, 400, 'body');
  });

  test('400: a parameter that is not a string is refused, not coerced', async () => {
    const answer = await execute(server.url, 'acme', 'echo', acme, { triggerParameters: { count: 5 } });
    expectErrorResponse(answer, 400, 'body.triggerParameters.count');
    expect(answer.json.errors[0].message).toBe('body.triggerParameters.count must be string');
  });

  test('400: callbackUrls that is not an array', async () => {
    expectErrorResponse(
      await execute(server.url, 'acme', 'echo', acme, { callbackUrls: 'https://a.example' }),
      400,
      'body.callbackUrls',
    );
  });

  test('400: a callback URL that is not http(s)', async () => {
    const answer = await execute(server.url, 'acme', 'echo', acme, {
      callbackUrls: ['https://a.example/ok', 'ftp://b.example'],
    });
    expectErrorResponse(answer, 400, 'body.callbackUrls[1]');
  });

  test('400: a body that is not an object', async () => {
    expectErrorResponse(await execute(server.url, 'acme', 'echo', acme, '["a"]'), 400, 'body');
  });

  test('400: a prototype-poisoning key', async () => {
    const answer = await execute(server.url, 'acme', 'echo', acme, '{"triggerParameters":{"__proto__":{"x":"1"}}}');
    expect(answer.status).toBe(400);
  });
});

describe('execute with XML', () => {
  test('200: Alvaria’s API reference example, with repeated callbackUrls read as an array', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<root>
<triggerParameters>
<key>value</key>
<id>007</id>
<query>a=1&amp;b=2</query>
</triggerParameters>
<callbackUrls>https://mycompany.com/callbacks/id=123</callbackUrls>
<callbackUrls>https://mycompany.com/callbacks/id=456</callbackUrls>
</root>`;
    const answer = await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml');
    expect(answer.status).toBe(200);
    expect(answer.json.triggerUUID).toMatch(uuid);
    expect(await server.server.store.triggers.findTrigger('acme', answer.json.triggerUUID)).toMatchObject({
      triggerParameters: { key: 'value', id: '007', query: 'a=1&b=2' },
      callbackUrls: ['https://mycompany.com/callbacks/id=123', 'https://mycompany.com/callbacks/id=456'],
    });
  });

  test('200: one callbackUrls element is an array of one; empty elements are empty', async () => {
    const answer = await execute(
      server.url,
      'acme',
      'echo',
      acme,
      '<root><triggerParameters/><callbackUrls>https://a.example/cb</callbackUrls></root>',
      'application/xml; charset=utf-8',
    );
    expect(answer.status).toBe(200);
    expect(await server.server.store.triggers.findTrigger('acme', answer.json.triggerUUID)).toMatchObject({
      triggerParameters: {},
      callbackUrls: ['https://a.example/cb'],
    });
  });

  test('400: XML that is not well-formed', async () => {
    const answer = await execute(
      server.url,
      'acme',
      'echo',
      acme,
      '<root><triggerParameters></root>',
      'application/xml',
    );
    expectErrorResponse(answer, 400, 'body');
    expect(answer.json.errors[0].message).toMatch(/not well-formed/);
  });

  test('400: a DOCTYPE, as an external entity attack brings, is refused before parsing', async () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<root><triggerParameters><key>&secret;</key></triggerParameters></root>`;
    const answer = await execute(server.url, 'acme', 'echo', acme, xxe, 'application/xml');
    expectErrorResponse(answer, 400, 'body');
    expect(answer.json.errors[0].message).toMatch(/DOCTYPE/);
  });

  test('400: entity expansion ("billion laughs") is refused', async () => {
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<root><triggerParameters><key>&lol2;</key></triggerParameters></root>`;
    expectErrorResponse(await execute(server.url, 'acme', 'echo', acme, laughs, 'application/xml'), 400, 'body');
  });

  test('400: a document element other than <root>', async () => {
    expectErrorResponse(await execute(server.url, 'acme', 'echo', acme, '<trigger/>', 'application/xml'), 400, 'body');
  });

  test('400: a parameter with elements inside is not a string', async () => {
    const answer = await execute(
      server.url,
      'acme',
      'echo',
      acme,
      '<root><triggerParameters><key><a>1</a></key></triggerParameters></root>',
      'application/xml',
    );
    expectErrorResponse(answer, 400, 'body.triggerParameters.key');
  });

  test('a repeated parameter keeps its last value, as the same JSON does', async () => {
    const answer = await execute(
      server.url,
      'acme',
      'echo',
      acme,
      '<root><triggerParameters><key>a</key><key>b</key></triggerParameters></root>',
      'application/xml',
    );
    expect(answer.status).toBe(200);
    const trigger = await server.server.store.triggers.findTrigger('acme', answer.json.triggerUUID);
    expect(trigger?.triggerParameters).toEqual({ key: 'b' });
  });

  test('400: text mixed with elements', async () => {
    const answer = await execute(
      server.url,
      'acme',
      'echo',
      acme,
      '<root><triggerParameters>text<key>a</key></triggerParameters></root>',
      'application/xml',
    );
    expectErrorResponse(answer, 400, 'root.triggerParameters');
  });

  test('400: an element named to reach the prototype', async () => {
    const xml = '<root><triggerParameters><__proto__><polluted>yes</polluted></__proto__></triggerParameters></root>';
    const answer = await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml');
    // Read as the JSON {"__proto__":{"polluted":"yes"}} is: an own property, whose value is no string.
    expectErrorResponse(answer, 400, 'body.triggerParameters.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('400: an encoding other than UTF-8', async () => {
    const answer = await execute(
      server.url,
      'acme',
      'echo',
      acme,
      '<?xml version="1.0" encoding="ISO-8859-1"?><root/>',
      'application/xml',
    );
    expectErrorResponse(answer, 400, 'body');
  });
});

describe('execute refusals in the order they are checked', () => {
  test('404: a vsn the organisation does not have, before the body is looked at', async () => {
    const answer = await execute(server.url, 'acme', 'no-such-service', acme, 'not even JSON');
    expectErrorResponse(answer, 404, 'path.vsn');
    expect(answer.json.message).toBe('Not found');
  });

  test("404: another organisation's service is not found either", async () => {
    expectErrorResponse(await execute(server.url, 'globex', 'echo', acme, {}), 404, 'path.orgId');
  });

  test('413: a body over 1 MiB', async () => {
    const body = { triggerParameters: { key: 'x'.repeat(1024 * 1024) } };
    const answer = await execute(server.url, 'acme', 'echo', acme, body);
    expectErrorResponse(answer, 413, 'body');
    expect(answer.json.errors[0].message).toBe('The request body is larger than 1048576 bytes');
  });

  test('413: an XML body over 1 MiB', async () => {
    const xml = `<root><triggerParameters><key>${'x'.repeat(1024 * 1024)}</key></triggerParameters></root>`;
    expectErrorResponse(await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml'), 413, 'body');
  });

  test.each(['text/plain', 'application/x-www-form-urlencoded', 'text/xml', 'application/octet-stream'])(
    '415: a body sent as %s',
    async (contentType) => {
      const answer = await execute(server.url, 'acme', 'echo', acme, 'triggerParameters=x', contentType);
      expectErrorResponse(answer, 415, 'body');
      expect(answer.json.message).toBe('Unsupported Media Type');
    },
  );

  test('422: parameters the service requires are missing, each one named', async () => {
    const answer = await execute(server.url, 'acme', 'needs-customer', acme, { triggerParameters: { key: 'value' } });
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({
      code: '422',
      message: 'Unprocessable Entity',
      errors: [
        {
          scope: 'body.triggerParameters.customerId',
          reason: 'Unprocessable Entity',
          message: 'The service needs-customer requires the parameter customerId',
        },
        {
          scope: 'body.triggerParameters.channel',
          reason: 'Unprocessable Entity',
          message: 'The service needs-customer requires the parameter channel',
        },
      ],
    });
  });

  test('422 in XML too', async () => {
    const xml = '<root><triggerParameters><customerId>42</customerId></triggerParameters></root>';
    const answer = await execute(server.url, 'acme', 'needs-customer', acme, xml, 'application/xml');
    expectErrorResponse(answer, 422, 'body.triggerParameters.channel');
  });

  test('200 once the required parameters are there', async () => {
    const answer = await execute(server.url, 'acme', 'needs-customer', acme, {
      triggerParameters: { customerId: '42', channel: 'voice' },
    });
    expect(answer.status).toBe(200);
  });

  test('422: a parameter a service kind cannot use', async () => {
    expectErrorResponse(
      await execute(server.url, 'acme', 'nap', acme, { triggerParameters: { ms: 'soon' } }),
      422,
      'body.triggerParameters.ms',
    );
  });

  test('nothing is written for a refused trigger', async () => {
    // Read through the admin API, which lists every stored trigger whatever its state, on either store.
    const stored = async () => {
      const listed = await admin(server.url, 'acme', '/triggers?vsn=needs-customer', secrets.acmeAdmin);
      expect(listed.status).toBe(200);
      return listed.json.triggers.map((trigger: { triggerUUID: string }) => trigger.triggerUUID);
    };
    const before = await stored();
    expect(before.length).toBeGreaterThan(0);
    const refused = await execute(server.url, 'acme', 'needs-customer', acme, { triggerParameters: {} });
    expect(refused.status).toBe(422);
    expect(await stored()).toEqual(before);
  });

  test('unknown routes answer 404 in the ErrorResponse shape', async () => {
    expectErrorResponse(await call(`${server.url}/via/v2/organizations/acme/autoFacilitate/nothing`), 404, 'path');
  });
});
