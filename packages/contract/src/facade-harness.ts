// An HTTP server that exposes the spec's operations and serves each one by calling the facade
// (@autofacilitate/sdk) against an upstream (Prism, or the self-hosted server), then writing the
// facade's typed answer back in the spec's wire format with the generated encoders. Dredd run
// against it checks that every documented request and response survives the facade's encoding
// and decoding: a field the facade dropped, renamed or mistyped fails the transaction.
//
// The operations the facade has no method for, `getMetrics` (GET /metrics) and `getHealth`
// (GET /healthz), are for those who run a server, not for application code: the harness passes
// them to the upstream and its answer back verbatim, so Dredd still checks them end to end.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccessTokenToJSON,
  ErrorResponseToJSON,
  TriggerOutcomeToJSON,
  TriggerProgressToJSON,
  TriggerResultToJSON,
  type TriggerState,
} from '@autofacilitate/client';
import { AutoFacilitate, AutoFacilitateError, type TriggerOutcome } from '@autofacilitate/sdk';
import { XMLParser } from 'fast-xml-parser';

/** Where the harness sends the facade, and as whom. */
export interface FacadeHarnessOptions {
  /** The upstream API and token service (the facade's `baseUrl`). */
  upstream: string;
  /**
   * The client the facade fetches its API tokens as. Prism takes any; a real server needs one it
   * knows. The token operation itself uses the caller's own credentials.
   */
  credentials?: { clientId: string; clientSecret: string };
  /**
   * The client to fetch tokens as for a caller presenting one of these API keys, in place of
   * `credentials`: an API key belongs to one client's organisation, and limits are per client.
   */
  credentialsByApiKey?: Record<string, { clientId: string; clientSecret: string }>;
}

/** A running harness. */
export interface FacadeHarness {
  /** Its base URL, for Dredd. */
  url: string;
  stop(): Promise<void>;
}

const TOKEN_PATH = '/tokenservice/oauth2/access_token';
const EXECUTE = /^\/via\/v2\/organizations\/([^/]+)\/autoFacilitate\/execute\/([^/]+)$/;
const RESULT = /^\/via\/v2\/organizations\/([^/]+)\/autoFacilitate\/result\/([^/]+)\/triggerUUID\/([^/]+)$/;
const PASSED_THROUGH = new Set(['/metrics', '/healthz']);
// Headers that belong to one connection, never passed on (RFC 9110 §7.6.1), and the length, which the body sets again.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);
// The facade fetches its own token; the caller's bearer token is not the harness's to reuse.
const HARNESS_CLIENT = { clientId: 'facade-harness', clientSecret: 'facade-harness-secret' };
// Test controls travel through the facade's per-call headers: Prism's `Prefer: code=…`, and the
// fault switch of the server's test configuration.
const FORWARDED_HEADERS = ['prefer', 'x-autofacilitate-fault'];

const xml = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, isArray: (tagName) => tagName === 'callbackUrls' });

function forwarded(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The facade's error, back on the wire as the spec documents it. */
function sendError(response: ServerResponse, error: unknown, token: boolean): void {
  if (!(error instanceof AutoFacilitateError)) throw error;
  // An error with no HTTP status (deadline, network, local check) has no documented wire form: 502 says so.
  const status = error.status ?? (error.name === 'ValidationError' ? 400 : 502);
  const challenge = 'wwwAuthenticate' in error && typeof error.wwwAuthenticate === 'string' ? { 'WWW-Authenticate': error.wwwAuthenticate } : undefined;
  if (token && 'oauthError' in error && typeof error.oauthError === 'string') {
    const description = (error as { oauthErrorDescription?: string }).oauthErrorDescription;
    sendJson(response, status, { error: error.oauthError, ...(description ? { error_description: description } : {}) }, challenge);
    return;
  }
  if (status === 401) {
    const credential = 'credential' in error && error.credential === 'apiKey' ? 'api-key' : 'access-token';
    response.writeHead(401, { ...challenge, 'Refused-Credential': credential });
    response.end();
    return;
  }
  const headers: Record<string, string> = {};
  if (error.requestId !== undefined) headers['x-request-id'] = error.requestId;
  if (error.retryAfterMs !== undefined) headers['Retry-After'] = String(Math.ceil(error.retryAfterMs / 1000));
  sendJson(response, status, ErrorResponseToJSON({ code: String(error.code ?? status), message: error.responseMessage ?? error.message, errors: [...error.errors] }), headers);
}

function facade(upstream: string, orgId: string, apiKey: string | undefined, credentials: FacadeHarnessOptions['credentials'] = HARNESS_CLIENT): AutoFacilitate {
  // No retries: each documented status must come back as the upstream answered it, where the
  // facade would retry a 429 or a 5xx (and, with an Idempotency-Key, more) until it passed.
  return new AutoFacilitate({ orgId, baseUrl: upstream, apiKey: apiKey || 'facade-harness-key', ...credentials, retry: false });
}

/** The client the facade fetches its tokens as, for a caller presenting `apiKey`. */
function clientFor({ credentials, credentialsByApiKey }: FacadeHarnessOptions, apiKey: string | undefined): FacadeHarnessOptions['credentials'] {
  return (apiKey !== undefined && credentialsByApiKey?.[apiKey]) || credentials;
}

/** Sends the request to the upstream as it came, and its answer back as it came. */
async function passThrough({ upstream }: FacadeHarnessOptions, request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const answer = await fetch(`${upstream}${request.url ?? '/'}`, { method: request.method, headers, ...(body ? { body } : {}) });
  const answerHeaders: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') answerHeaders[name] = value;
  });
  response.writeHead(answer.status, answerHeaders);
  response.end(Buffer.from(await answer.arrayBuffer()));
}

async function serveToken({ upstream }: FacadeHarnessOptions, request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
  const form = new URLSearchParams(body);
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  const [clientId, clientSecret] = basic ? Buffer.from(basic[1] ?? '', 'base64').toString('latin1').split(/:(.*)/s) : [form.get('client_id'), form.get('client_secret')];
  if (!clientId || !clientSecret) {
    sendJson(response, 401, { error: 'invalid_client', error_description: 'The harness needs client credentials to call the facade' });
    return;
  }
  try {
    const token = await facade(upstream, 'harness', undefined, { clientId, clientSecret }).getAccessToken({ headers: forwarded(request) });
    const expiresIn = Math.round((token.expiresAt.getTime() - Date.now()) / 1000);
    sendJson(response, 200, AccessTokenToJSON({ accessToken: token.accessToken, tokenType: token.tokenType, expiresIn, scope: token.scope }), { 'Cache-Control': 'no-store' });
  } catch (error) {
    sendError(response, error, true);
  }
}

/** The execute body: JSON as the generated client would read it, or the seed's `<root>` XML. */
function triggerBody(request: IncomingMessage, body: string): { triggerParameters: Record<string, string>; callbackUrls?: string[]; format: 'json' | 'xml' } {
  if ((request.headers['content-type'] ?? '').startsWith('application/xml')) {
    const root = (xml.parse(body) as { root?: { triggerParameters?: Record<string, string> | ''; callbackUrls?: string[] } }).root ?? {};
    const triggerParameters = typeof root.triggerParameters === 'object' ? root.triggerParameters : {};
    return { triggerParameters, ...(root.callbackUrls ? { callbackUrls: root.callbackUrls } : {}), format: 'xml' };
  }
  const json = JSON.parse(body || '{}') as { triggerParameters?: Record<string, string>; callbackUrls?: string[] };
  return { triggerParameters: json.triggerParameters ?? {}, ...(json.callbackUrls ? { callbackUrls: json.callbackUrls } : {}), format: 'json' };
}

async function serveExecute(options: FacadeHarnessOptions, [orgId, vsn]: string[], request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
  try {
    const { triggerParameters, callbackUrls, format } = triggerBody(request, body);
    const idempotencyKey = request.headers['idempotency-key'];
    const apiKey = request.headers['x-api-key'] as string | undefined;
    const started = await facade(options.upstream, orgId ?? '', apiKey, clientFor(options, apiKey)).execute(vsn ?? '', triggerParameters, {
      callbackUrls,
      format,
      headers: forwarded(request),
      ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
    });
    sendJson(response, 200, TriggerResultToJSON(started), started.replayed ? { 'Idempotent-Replayed': 'true' } : {});
  } catch (error) {
    sendError(response, error, false);
  }
}

/** The facade's typed outcome, back as the status and body the spec documents for it. */
function sendOutcome(response: ServerResponse, outcome: TriggerOutcome): void {
  const { triggerUUID, vsn, createdAt, startedAt } = outcome;
  if (!outcome.done) {
    const retryAfter = outcome.retryAfterMs === undefined ? undefined : { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) };
    sendJson(response, 202, TriggerProgressToJSON({ triggerUUID, vsn, status: outcome.status as TriggerState, createdAt: createdAt as Date, startedAt }), retryAfter);
    return;
  }
  // `triggerOutcome` requires createdAt, so only the seed's 204 gives a finished trigger without one.
  if (createdAt === undefined) {
    response.writeHead(204);
    response.end();
    return;
  }
  const details = outcome.status === 'succeeded' ? { output: outcome.output } : { error: outcome.error as never };
  sendJson(response, 200, TriggerOutcomeToJSON({ triggerUUID, vsn, status: outcome.status as TriggerState, createdAt, startedAt, finishedAt: outcome.finishedAt, ...details }));
}

async function serveResult(options: FacadeHarnessOptions, [orgId, vsn, triggerUUID]: string[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const apiKey = request.headers['x-api-key'] as string | undefined;
    const client = facade(options.upstream, orgId ?? '', apiKey, clientFor(options, apiKey));
    sendOutcome(response, await client.getResult(vsn ?? '', triggerUUID ?? '', { headers: forwarded(request) }));
  } catch (error) {
    sendError(response, error, false);
  }
}

/** Starts the harness on a free 127.0.0.1 port. */
export async function startFacadeHarness(options: FacadeHarnessOptions): Promise<FacadeHarness> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = new URL(request.url ?? '/', 'http://harness').pathname;
      const execute = EXECUTE.exec(path);
      const result = RESULT.exec(path);
      const segments = (match: RegExpExecArray) => match.slice(1).map(decodeURIComponent);
      if (request.method === 'POST' && path === TOKEN_PATH) await serveToken(options, request, body, response);
      else if (request.method === 'POST' && execute) await serveExecute(options, segments(execute), request, body, response);
      else if (request.method === 'GET' && result) await serveResult(options, segments(result), request, response);
      else if (request.method === 'GET' && PASSED_THROUGH.has(path)) await passThrough(options, request, body, response);
      else sendJson(response, 404, { code: '404', message: `The harness serves no ${request.method} ${path}`, errors: [] });
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { code: '500', message: `Harness failure: ${String(error)}`, errors: [] });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
