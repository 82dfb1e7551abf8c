import { ValidationError } from '@autofacilitate/sdk';
import { json } from './support/fake-api';
import { makeClient, rejection } from './support/make-client';

describe('execute in JSON', () => {
  test('sends the generated client’s body to the orgId and vsn path and answers the trigger', async () => {
    const { api, clock, client } = makeClient();
    const result = await clock.run(
      client.execute('ServerName', { key: 'value' }, { callbackUrls: ['https://mycompany.com/callbacks/id=123'] }),
    );

    expect(result).toEqual({ triggerUUID: '1234', message: 'Successfully triggered ServerName@acme' });
    const [request] = api.seen('execute');
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://api.test/via/v2/organizations/acme/autoFacilitate/execute/ServerName');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      triggerParameters: { key: 'value' },
      callbackUrls: ['https://mycompany.com/callbacks/id=123'],
    });
  });

  test('path segments are encoded', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('Server Name/2'));
    expect(api.seen('execute')[0]?.url).toBe(
      'https://api.test/via/v2/organizations/acme/autoFacilitate/execute/Server%20Name%2F2',
    );
  });

  test('no parameters sends an empty map', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName'));
    expect(JSON.parse(api.seen('execute')[0]?.body ?? '')).toEqual({ triggerParameters: {} });
  });

  test('a numeric triggerUUID on the wire (Alvaria’s API reference schema says integer) comes back as a string', async () => {
    const { api, clock, client } = makeClient();
    api.script('execute', json(200, { triggerUUID: 1234 }));
    await expect(clock.run(client.execute('ServerName'))).resolves.toEqual({ triggerUUID: '1234' });
  });

  test('per-call headers are sent beside the SDK’s own', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName', {}, { headers: { Prefer: 'code=200', 'X-Trace': 't-1' } }));
    const headers = api.seen('execute')[0]?.headers;
    expect(headers?.get('prefer')).toBe('code=200');
    expect(headers?.get('x-trace')).toBe('t-1');
    expect(headers?.get('authorization')).toMatch(/^Bearer /);
  });

  test('a W3C traceparent and tracestate pass as per-call headers, so the trigger joins the caller’s trace', async () => {
    const { api, clock, client } = makeClient();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await clock.run(client.execute('ServerName', {}, { headers: { traceparent, tracestate: 'a=1, b=2' } }));
    const headers = api.seen('execute')[0]?.headers;
    expect(headers?.get('traceparent')).toBe(traceparent);
    expect(headers?.get('tracestate')).toBe('a=1, b=2');
  });

  test.each(['Authorization', 'authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key'])(
    'per-call headers cannot replace %s',
    async (name) => {
      const { api, client } = makeClient();
      await expect(client.execute('ServerName', {}, { headers: { [name]: 'x' } })).rejects.toThrow(TypeError);
      expect(api.requests).toHaveLength(0);
    },
  );
});

describe('execute in XML', () => {
  test('sends Alvaria’s API reference’s <root> document as application/xml', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(
      client.execute(
        'ServerName',
        { key: 'value', other: 'two' },
        { format: 'xml', callbackUrls: ['https://a.test/1', 'https://a.test/2'] },
      ),
    );

    const [request] = api.seen('execute');
    expect(request?.headers.get('content-type')).toBe('application/xml');
    expect(request?.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<root><triggerParameters><key>value</key><other>two</other></triggerParameters>' +
        '<callbackUrls>https://a.test/1</callbackUrls><callbackUrls>https://a.test/2</callbackUrls></root>',
    );
  });

  test('escapes text so that any value arrives as sent', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(
      client.execute(
        'ServerName',
        { q: 'a < b && c > d ]]> "quoted" \'single\'\r\nnext\tline' },
        { format: 'xml', callbackUrls: ['https://a.test/?x=1&y=2'] },
      ),
    );
    expect(api.seen('execute')[0]?.body).toContain(
      '<q>a &lt; b &amp;&amp; c &gt; d ]]&gt; "quoted" \'single\'&#xD;\nnext\tline</q></triggerParameters><callbackUrls>https://a.test/?x=1&amp;y=2</callbackUrls>',
    );
  });

  test('non-ASCII names and values are fine', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName', { número_1: 'café ☕ 𝄞', 'x-y.z': '' }, { format: 'xml' }));
    expect(api.seen('execute')[0]?.body).toContain('<número_1>café ☕ 𝄞</número_1><x-y.z></x-y.z>');
  });

  test('an empty parameter map is left out rather than sent as an empty string', async () => {
    const { api, clock, client } = makeClient();
    await clock.run(client.execute('ServerName', {}, { format: 'xml' }));
    expect(api.seen('execute')[0]?.body).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<root></root>');
  });

  test.each(['1st', 'a b', 'x:y', '-dash', '', 'tab\t', '<script>', 'a/b'])(
    'a parameter named %j is refused before sending: not an XML name',
    async (name) => {
      const { api, clock, client } = makeClient();
      const error = await clock.run(rejection(client.execute('ServerName', { [name]: 'v' }, { format: 'xml' })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({
        status: undefined,
        errors: [{ scope: `triggerParameters.${name}`, reason: 'Invalid XML name' }],
      });
      expect((error as Error).message).toContain(JSON.stringify(name));
      expect(api.requests).toHaveLength(0);
    },
  );

  test.each(['\u0000', '\u0008', '\uFFFE', '\uD800'])(
    'a value with %j, which XML cannot carry, is refused',
    async (character) => {
      const { api, clock, client } = makeClient();
      const error = await clock.run(
        rejection(client.execute('ServerName', { key: `a${character}b` }, { format: 'xml' })),
      );
      expect(error).toMatchObject({
        name: 'ValidationError',
        errors: [{ scope: 'triggerParameters.key', reason: 'Invalid XML character' }],
      });
      expect(api.requests).toHaveLength(0);
    },
  );
});

describe('input the spec forbids is refused before anything is sent', () => {
  test.each([
    ['a number value', { key: 5 }, undefined, 'triggerParameters.key'],
    ['a null value', { key: null }, undefined, 'triggerParameters.key'],
    ['an array of parameters', ['a'], undefined, 'triggerParameters'],
    ['callbackUrls not an array', {}, 'https://a.test', 'callbackUrls'],
    ['a callback URL not a string', {}, [42], 'callbackUrls[0]'],
  ])('%s', async (_, triggerParameters, callbackUrls, scope) => {
    const { api, client } = makeClient();
    const error = await rejection(
      client.execute('ServerName', triggerParameters as never, { callbackUrls: callbackUrls as never }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ errors: [{ scope }] });
    expect(api.requests).toHaveLength(0);
  });

  test('an empty vsn', async () => {
    const { client } = makeClient();
    await expect(client.execute('')).rejects.toMatchObject({ name: 'ValidationError', errors: [{ scope: 'vsn' }] });
  });

  test.each([[''], ['line\nbreak']])('a bad idempotency key %j', async (key) => {
    const { client } = makeClient();
    await expect(client.execute('ServerName', {}, { idempotencyKey: key })).rejects.toThrow(/idempotencyKey/);
  });

  test('an unknown format', async () => {
    const { client } = makeClient();
    await expect(client.execute('ServerName', {}, { format: 'yaml' as never })).rejects.toThrow(/format must be/);
  });
});
