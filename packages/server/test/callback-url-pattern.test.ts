import { malformedCallbackUrl } from '../src/callbacks/callback-url-checks';
import { effectiveSpec } from '../src/spec/load-spec';
import { execute, type Caller } from './support/api-client';
import { startTestServer, type TestServer } from './support/test-server';

// The spec's pattern for a callback URL is the rule: every URL it admits is one the server parses
// as http(s) without credentials, and what it refuses the server refuses with a 400.

let pattern: RegExp;
beforeAll(async () => {
  const spec = (await effectiveSpec()) as { components: { schemas: { urls: { pattern: string } } } };
  // Ajv reads the spec's patterns as Unicode regular expressions.
  pattern = new RegExp(spec.components.schemas.urls.pattern, 'u');
});

const admitted = [
  'https://mycompany.com/callbacks/id=123',
  'HTTP://EXAMPLE.org',
  'http://hooks.example.com:8080/cb?order=7&x=%C3%A9#frag',
  "https://a-b.c-d.example./p/a;b,c@d:e!$'()*+~",
  'http://localhost/',
  'http://93.184.216.34:65535/',
  'http://[2001:db8::1]/cb',
  'http://[::ffff:127.0.0.1]/cb',
  'http://[1:2:3:4::1.2.3.4]:443',
  'https://example.com?only=query',
];

const refused = [
  'ftp://example.com/',
  'https://user:secret@example.com/',
  'https://example.com@evil.example/',
  'http://2130706433/',
  'http://999.1.1.1/',
  'http://1.2.3/',
  'http://example.1/',
  'http://0x7f.1/',
  'http://xn--a.example/',
  'http://under_score.example/',
  'http://example.com:65536/',
  'http://example.com:/',
  'http://exa mple.com/',
  'http://example.com/a b',
  'http://example.com\\cb',
  'http://[1::2::3]/',
  'http://[fe80::1%25eth0]/',
  'https://example.com/\n',
  'example.com/cb',
  '',
];

test.each(admitted)('admitted by the pattern and read by the server as http(s) without credentials: %s', (url) => {
  expect(pattern.test(url)).toBe(true);
  expect(malformedCallbackUrl(url)).toBeUndefined();
});

test.each(refused)('refused by the pattern: %j', (url) => {
  expect(pattern.test(url)).toBe(false);
});

describe('through the server', () => {
  let server: TestServer;
  let acme: Caller;

  beforeAll(async () => {
    server = await startTestServer((raw) => {
      raw.workers.enabled = false;
    });
    acme = await server.acme();
  });

  afterAll(() => server.close());

  test('URLs the pattern admits are taken (or refused as 422 for their host, never 400)', async () => {
    const publicOnes = admitted.filter((url) => !/localhost|127\.0\.0\.1|\[/.test(url)).slice(0, 5);
    expect((await execute(server.url, 'acme', 'echo', acme, { callbackUrls: publicOnes })).status).toBe(200);
    const loopback = await execute(server.url, 'acme', 'echo', acme, { callbackUrls: ['http://localhost/'] });
    expect(loopback.status).toBe(422);
  });

  test.each(refused.filter((url) => !url.includes('\n')))('400 for %j, naming the URL', async (url) => {
    const answer = await execute(server.url, 'acme', 'echo', acme, { callbackUrls: ['https://ok.example/', url] });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([
      {
        scope: 'body.callbackUrls[1]',
        reason: 'Invalid request',
        message:
          'body.callbackUrls[1] must be an http:// or https:// URL without credentials, its host a name or an IP address (schema urls)',
      },
    ]);
  });
});
