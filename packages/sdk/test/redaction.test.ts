import { inspect } from 'node:util';
import type { Logger } from '@autofacilitate/sdk';
import {
  API_KEY,
  CLIENT_ID,
  CLIENT_SECRET,
  HANG,
  TOKEN,
  empty,
  errorResponse,
  json,
  networkError,
} from './support/fake-api';
import { makeClient, rejection } from './support/make-client';

// Anything that would let someone call the API: the secret, the API key, the token, and the
// HTTP Basic credentials (base64 of id:secret).
const SECRETS = [CLIENT_SECRET, API_KEY, TOKEN, btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)];

function recordingLogger(lines: string[]): Logger {
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${inspect(fields, { depth: 10 })}`);
  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** Everything a developer could print about an error. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [String(e), e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
}

function expectNoSecrets(texts: string[]) {
  const all = texts.join('\n');
  for (const secret of SECRETS) expect(all).not.toContain(secret);
}

test('the client shows no secret however it is printed', () => {
  const { client } = makeClient();
  const texts = [String(client), JSON.stringify(client), inspect(client, { depth: 10, showHidden: true }), `${client}`];
  expectNoSecrets(texts);
  expect(String(client)).toBe(
    `AutoFacilitate(orgId=acme, baseUrl=https://api.test, tokenUrl=https://api.test/tokenservice/oauth2/access_token, clientId=${CLIENT_ID})`,
  );
  expect(inspect(client)).toBe(String(client));
  expect(Object.keys(client).sort()).toEqual(['baseUrl', 'clientId', 'orgId', 'tokenUrl']);
});

test('no secret appears in the logs or the errors of any failure path', async () => {
  const lines: string[] = [];
  const { api, clock, client } = makeClient({ logger: recordingLogger(lines), timeoutMs: 60_000 });
  const errors: unknown[] = [];
  const fail = async (call: Promise<unknown>) => errors.push(await clock.run(rejection(call)));

  // Token service refusals, the API's refusals and failures, retries, network failures, a timeout.
  api.script('token', json(401, { error: 'invalid_client', error_description: `client ${CLIENT_ID} unknown` }));
  await fail(client.execute('ServerName'));
  api.script('token', errorResponse(500), errorResponse(500), errorResponse(500), errorResponse(500));
  await fail(client.getResult('ServerName', '1'));
  api.script('execute', empty(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }), empty(401));
  await fail(client.execute('ServerName'));
  for (const status of [400, 404, 422, 429, 500, 503]) {
    api.script('result', errorResponse(status), errorResponse(status), errorResponse(status), errorResponse(status));
    await fail(client.getResult('ServerName', '1'));
  }
  api.script('execute', networkError('ECONNRESET'));
  await fail(client.execute('ServerName'));
  api.script('result', HANG);
  await fail(client.getResult('ServerName', '1', { timeoutMs: 100 }));
  await fail(client.execute('ServerName', { '1bad': 'x' }, { format: 'xml' }));

  expect(errors).toHaveLength(12);
  expect(lines.some((line) => line.startsWith('warn'))).toBe(true);
  expect(lines.some((line) => line.startsWith('debug'))).toBe(true);
  expectNoSecrets([...lines, ...errors.flatMap(renderings)]);
});
