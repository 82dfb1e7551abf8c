import { AutoFacilitate, productionBaseUrl, productionTokenUrl, type AutoFacilitateOptions } from '@autofacilitate/sdk';

const credentials = { clientId: 'id', clientSecret: 'secret', apiKey: 'key' };

function urls(options: Partial<AutoFacilitateOptions>) {
  const client = new AutoFacilitate({ orgId: 'acme', ...credentials, ...options });
  return { baseUrl: client.baseUrl, tokenUrl: client.tokenUrl };
}

describe('URLs', () => {
  test('production: Alvaria’s API reference’s templates, from orgId and region', () => {
    expect(urls({ region: 'eu2' })).toEqual({
      baseUrl: 'https://acme.via.aspect-cloud.net',
      tokenUrl: 'https://myaspect.eu2.id.aspect-cloud.net/tokenservice/oauth2/access_token',
    });
    expect(productionBaseUrl('acme')).toBe('https://acme.via.aspect-cloud.net');
    expect(productionTokenUrl('na1')).toBe('https://myaspect.na1.id.aspect-cloud.net/tokenservice/oauth2/access_token');
  });

  test('the mock or a self-hosted server: baseUrl serves the token endpoint too', () => {
    expect(urls({ baseUrl: 'http://127.0.0.1:4010/' })).toEqual({
      baseUrl: 'http://127.0.0.1:4010',
      tokenUrl: 'http://127.0.0.1:4010/tokenservice/oauth2/access_token',
    });
  });

  test('baseUrl with a region: the API elsewhere, tokens from the region', () => {
    expect(urls({ baseUrl: 'https://gateway.test/af', region: 'eu2' })).toEqual({
      baseUrl: 'https://gateway.test/af',
      tokenUrl: 'https://myaspect.eu2.id.aspect-cloud.net/tokenservice/oauth2/access_token',
    });
  });

  test('tokenUrl overrides everything', () => {
    expect(urls({ region: 'eu2', tokenUrl: 'https://id.test/oauth/token' })).toEqual({
      baseUrl: 'https://acme.via.aspect-cloud.net',
      tokenUrl: 'https://id.test/oauth/token',
    });
  });

  test.each([
    [{}, /give region \(production\), baseUrl/],
    [{ orgId: 'acme corp', region: 'eu2' }, /orgId must be one DNS label/],
    [{ region: 'eu.2' }, /region must be one DNS label/],
    [{ baseUrl: 'not a url' }, /baseUrl must be an absolute URL/],
    [{ baseUrl: 'ftp://x.test' }, /baseUrl must be an http\(s\) URL/],
    [{ baseUrl: 'https://x.test/?a=1' }, /must not have a query/],
    [{ region: 'eu2', tokenUrl: '/relative' }, /tokenUrl must be an absolute URL/],
  ])('%j is refused: %p', (options, message) => {
    expect(() => urls(options as Partial<AutoFacilitateOptions>)).toThrow(message);
  });
});

describe('options', () => {
  test.each(['orgId', 'clientId', 'clientSecret', 'apiKey'] as const)('%s is required', (name) => {
    const options = { orgId: 'acme', region: 'eu2', ...credentials, [name]: '' };
    expect(() => new AutoFacilitate(options)).toThrow(`${name} is required`);
  });

  test('options themselves are required', () => {
    expect(() => new AutoFacilitate(undefined as never)).toThrow(TypeError);
  });

  test.each([
    [{ clientId: 'a:b' }, /clientId cannot contain ":"/],
    [{ clientSecret: 'πassword' }, /ISO-8859-1/],
    [{ apiKey: 'key\nInjected: 1' }, /apiKey must be visible ASCII/],
    [{ timeoutMs: -1 }, /timeoutMs must be a number/],
    [{ retry: { maxRetries: 1.5 } }, /retry.maxRetries must be a whole number/],
    [{ retry: { baseDelayMs: -5 } }, /retry.baseDelayMs must be a finite number/],
    [{ fetch: 'nope' as never }, /fetch must be a function/],
  ])('%j is refused', (options, message) => {
    expect(() => new AutoFacilitate({ orgId: 'acme', region: 'eu2', ...credentials, ...options })).toThrow(message);
  });

  test('a Latin-1 secret is fine for HTTP Basic', () => {
    expect(
      () => new AutoFacilitate({ orgId: 'acme', region: 'eu2', ...credentials, clientSecret: 'pässwörd' }),
    ).not.toThrow();
  });
});
