/** A small HTTP client for the tests: real requests to a real server. */

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON, when it is JSON; tests read into it freely. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Sends a request and reads the whole answer. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  return answerOf(await fetch(url, init));
}

/** HTTP Basic credentials, form-encoded first as RFC 6749 §2.3.1 asks. */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** Asks the token endpoint for a token. */
export function requestToken(
  baseUrl: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(`${baseUrl}/tokenservice/oauth2/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** A token for a client, or a failed test. */
export async function tokenFor(baseUrl: string, clientId: string, secret: string): Promise<string> {
  const answer = await requestToken(
    baseUrl,
    { grant_type: 'client_credentials' },
    { authorization: basic(clientId, secret) },
  );
  if (answer.status !== 200) throw new Error(`token refused: ${answer.status} ${answer.text}`);
  return answer.json.access_token as string;
}

/** The credentials an API call carries. */
export interface Caller {
  token?: string;
  apiKey?: string;
}

function authHeaders({ token, apiKey }: Caller): Record<string, string> {
  return {
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }),
  };
}

export function executeUrl(baseUrl: string, orgId: string, vsn: string): string {
  return `${baseUrl}/via/v2/organizations/${encodeURIComponent(orgId)}/autoFacilitate/execute/${encodeURIComponent(vsn)}`;
}

export function resultUrl(baseUrl: string, orgId: string, vsn: string, triggerUUID: string): string {
  return `${baseUrl}/via/v2/organizations/${encodeURIComponent(orgId)}/autoFacilitate/result/${encodeURIComponent(vsn)}/triggerUUID/${encodeURIComponent(triggerUUID)}`;
}

/** POSTs to execute; a body that is not a string is sent as JSON. */
export function execute(
  baseUrl: string,
  orgId: string,
  vsn: string,
  caller: Caller,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(executeUrl(baseUrl, orgId, vsn), {
    method: 'POST',
    headers: { ...authHeaders(caller), 'content-type': contentType, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** GETs a result. */
export function result(
  baseUrl: string,
  orgId: string,
  vsn: string,
  triggerUUID: string,
  caller: Caller,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(resultUrl(baseUrl, orgId, vsn, triggerUUID), { headers: { ...authHeaders(caller), ...headers } });
}

/** A server whose triggers' ends a test can wait for. */
export interface Runner {
  url: string;
  /** Resolves once the trigger has finished. */
  finished(orgId: string, triggerUUID: string): Promise<void>;
}

/** GETs a result once the trigger has finished. */
export async function finalResult(
  runner: Runner,
  orgId: string,
  vsn: string,
  triggerUUID: string,
  caller: Caller,
): Promise<Answer> {
  await runner.finished(orgId, triggerUUID);
  return result(runner.url, orgId, vsn, triggerUUID, caller);
}
