// The generated client against Prism with validation both ways: a proxy with `--errors` in front
// of the mock checks every request the client sends and every response it reads.
import {
  Configuration,
  ExecuteApi,
  ResultApi,
  TokenApi,
  type ErrorResponse,
  type TriggerParameter,
} from '@autofacilitate/client';
import { failure, prefer, useValidatingPrism } from './support/validating-prism';

const prism = useValidatingPrism();

const orgId = 'acme';
const vsn = 'ServerName';
const triggerParameter: TriggerParameter = {
  triggerParameters: { key: 'value' },
  callbackUrls: ['https://mycompany.com/callbacks/id=123'],
};

function configuration(authenticated = true) {
  return new Configuration({
    basePath: prism().url,
    // The generated client sends the token verbatim: the caller must add `Bearer `.
    ...(authenticated ? { accessToken: async () => 'Bearer contract-test-token', apiKey: 'contract-test-key' } : {}),
  });
}

describe('token', () => {
  test('getAccessToken answers an access token', async () => {
    const api = new TokenApi(
      new Configuration({ basePath: prism().url, username: 'contract-client', password: 'contract-secret' }),
    );
    const token = await api.getAccessToken({ grantType: 'client_credentials', scope: 'autofacilitateapi' });
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, scope: 'autofacilitateapi' });
    expect(token.accessToken.length).toBeGreaterThan(0);
  });

  test.each([400, 401])('getAccessToken surfaces %i', async (status) => {
    const api = new TokenApi(
      new Configuration({ basePath: prism().url, username: 'contract-client', password: 'contract-secret' }),
    );
    const error = await failure(api.getAccessToken({ grantType: 'client_credentials' }, prefer(status)));
    expect(error.response.status).toBe(status);
    expect(await error.response.json()).toHaveProperty('error');
  });
});

describe('executeService', () => {
  test('answers Alvaria’s API reference example', async () => {
    const result = await new ExecuteApi(configuration()).executeService({ orgId, vsn, triggerParameter });
    expect(result).toEqual({ message: 'Successfully triggered ServerName@orgId', triggerUUID: '1234' });
  });

  test.each([400, 404, 409, 413, 415, 422, 429, 500])('surfaces %i with an ErrorResponse', async (status) => {
    const error = await failure(
      new ExecuteApi(configuration()).executeService({ orgId, vsn, triggerParameter }, prefer(status)),
    );
    expect(error.response.status).toBe(status);
    const body = (await error.response.json()) as ErrorResponse;
    expect(body.code).toBe(String(status));
    expect(body.errors?.[0]).toEqual(
      expect.objectContaining({ scope: expect.any(String), reason: expect.any(String) }),
    );
  });

  test('without credentials the call is refused with 401', async () => {
    const error = await failure(new ExecuteApi(configuration(false)).executeService({ orgId, vsn, triggerParameter }));
    expect(error.response.status).toBe(401);
  });

  test('a request the spec forbids is caught and reported', async () => {
    // Parameter values must be strings; the types forbid a number, so force one past them.
    const forbidden = { triggerParameters: { key: 5 } } as unknown as TriggerParameter;
    const error = await failure(
      new ExecuteApi(configuration()).executeService({ orgId, vsn, triggerParameter: forbidden }),
    );
    expect(error.response.status).toBe(422);
    const problem = (await error.response.json()) as {
      title: string;
      validation: Array<{ location: string[]; message: string }>;
    };
    expect(problem.title).toBe('Invalid request');
    expect(problem.validation).toEqual([
      expect.objectContaining({
        location: ['body', 'triggerParameters', 'key'],
        message: expect.stringContaining('must be string'),
      }),
    ]);
  });
});

describe('getTriggerResult', () => {
  const request = { orgId, vsn, triggerUUID: '1234' };

  test('answers 204 for a finished trigger with no output, as Alvaria’s API reference documents', async () => {
    const response = await new ResultApi(configuration()).getTriggerResultRaw(request, prefer(204));
    expect(response.raw.status).toBe(204);
    expect(await response.raw.text()).toBe('');
  });

  test('answers 200 with the outcome of a finished trigger', async () => {
    const response = await new ResultApi(configuration()).getTriggerResultRaw(request, prefer(200));
    expect(response.raw.status).toBe(200);
    expect(await response.value()).toMatchObject({ status: 'succeeded', output: { key: 'value' } });
  });

  test('answers 202 with the progress of a running trigger', async () => {
    const response = await new ResultApi(configuration()).getTriggerResultRaw(request, prefer(202));
    expect(response.raw.status).toBe(202);
    expect(response.raw.headers.get('Retry-After')).toBe('1');
    expect(await response.raw.json()).toMatchObject({ status: 'running' });
  });

  test.each([400, 404, 422, 500])('surfaces %i with an ErrorResponse', async (status) => {
    const error = await failure(new ResultApi(configuration()).getTriggerResult(request, prefer(status)));
    expect(error.response.status).toBe(status);
    expect(((await error.response.json()) as ErrorResponse).code).toBe(String(status));
  });

  test('without credentials the call is refused with 401', async () => {
    const error = await failure(new ResultApi(configuration(false)).getTriggerResult(request));
    expect(error.response.status).toBe(401);
  });
});
