import { execute, type Caller } from './support/api-client';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let acme: Caller;

beforeAll(async () => {
  server = await startTestServer((raw) => {
    raw.workers.enabled = false;
  });
  acme = await server.acme();
});

afterAll(() => server.close());

async function stored(triggerUUID: string) {
  return (await server.server.store.triggers.findTrigger('acme', triggerUUID))?.triggerParameters;
}

describe('XML and JSON that mean the same are the same request', () => {
  // JSON.stringify drops a literal __proto__ key; the JSON text carries it as a name like any other.
  const jsonText = '{"triggerParameters":{"ref":"A☺","padded":" x ","__proto__":"p","constructor":"c"}}';
  const xml =
    '<root><triggerParameters><ref>&#65;&#x263A;</ref><padded> x </padded><__proto__>p</__proto__><constructor>c</constructor></triggerParameters></root>';

  test('the same stored parameters, every name kept, no prototype touched', async () => {
    const fromJson = await execute(server.url, 'acme', 'echo', acme, jsonText);
    const fromXml = await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml');
    expect([fromJson.status, fromXml.status]).toEqual([200, 200]);
    const expected = JSON.parse(jsonText).triggerParameters;
    expect(await stored(fromJson.json.triggerUUID)).toEqual(expected);
    expect(await stored(fromXml.json.triggerUUID)).toEqual(expected);
    expect(Object.keys((await stored(fromXml.json.triggerUUID))!)).toEqual([
      'ref',
      'padded',
      '__proto__',
      'constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('the same Idempotency-Key fingerprint: the XML repeat replays the JSON answer', async () => {
    const headers = { 'idempotency-key': 'same-meaning-1' };
    const first = await execute(server.url, 'acme', 'echo', acme, jsonText, 'application/json', headers);
    const repeat = await execute(server.url, 'acme', 'echo', acme, xml, 'application/xml', headers);
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(repeat.json.triggerUUID).toBe(first.json.triggerUUID);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
  });

  test.each([
    ['an undeclared entity', '<root><triggerParameters><a>&unknown;</a></triggerParameters></root>'],
    ['a character XML forbids', '<root><triggerParameters><a>&#0;</a></triggerParameters></root>'],
  ])('malformed XML (%s) is a 400', async (_name, body) => {
    const answer = await execute(server.url, 'acme', 'echo', acme, body, 'application/xml');
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0]).toMatchObject({
      scope: 'body',
      message: expect.stringMatching(/^The XML is not well-formed: /),
    });
  });
});

describe('a body that is not UTF-8', () => {
  test.each([
    [
      'application/json',
      Buffer.concat([Buffer.from('{"triggerParameters":{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]),
    ],
    [
      'application/xml',
      Buffer.concat([
        Buffer.from('<root><triggerParameters><a>'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('</a></triggerParameters></root>'),
      ]),
    ],
  ])('is a 400 in %s, never stored with U+FFFD', async (contentType, bytes) => {
    const before = await server.server.store.triggers.countUnfinishedTriggers('acme');
    const answer = await fetch(`${server.url}/via/v2/organizations/acme/autoFacilitate/execute/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.token}`, 'x-api-key': acme.apiKey!, 'content-type': contentType },
      body: bytes,
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      code: '400',
      message: 'Validation exception',
      errors: [{ scope: 'body', reason: 'Invalid request', message: 'The request body is not valid UTF-8' }],
    });
    expect(await server.server.store.triggers.countUnfinishedTriggers('acme')).toBe(before);
  });
});
