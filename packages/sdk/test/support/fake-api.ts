// An in-memory AutoFacilitate API behind an injected fetch: scripted answers per operation, every
// request recorded. Answers honour the request's abort signal like a real fetch.
import { TOKEN_PATH } from '@autofacilitate/sdk';

/** One recorded request. */
export interface SeenRequest {
  operation: 'token' | 'execute' | 'result';
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** The request's abort signal, to check what was aborted. */
  signal: AbortSignal | undefined;
}

/** An answer: a response (now or later), a failure to throw (network error), or `HANG` (no answer until aborted). */
export type Reply =
  Response | Promise<Response> | Error | typeof HANG | ((request: SeenRequest) => Response | Error | typeof HANG);

/** An answer that never comes: the request waits until its signal aborts. */
export const HANG = Symbol('hang');

export const TOKEN = 'token-abc.def';
export const CLIENT_ID = 'client-id';
export const CLIENT_SECRET = 'client-secret-s3cr3t';
export const API_KEY = 'api-key-k3y';
export const BASE_URL = 'https://api.test';

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** A response without a body. */
export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** An ErrorResponse as Alvaria’s API reference shows it (code as a string). */
export function errorResponse(status: number, headers: Record<string, string> = {}): Response {
  return json(
    status,
    {
      code: String(status),
      message: `failure ${status}`,
      errors: [{ scope: 'global', reason: 'Because', message: `detail ${status}` }],
    },
    headers,
  );
}

/** A network failure as undici reports it: `TypeError: fetch failed` caused by a coded error. */
export function networkError(code: string): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`connect ${code} 203.0.113.1:443`), { code }),
  });
}

export function tokenReply(expiresIn = 3600, accessToken = TOKEN): Response {
  return json(
    200,
    { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: 'autofacilitateapi' },
    { 'Cache-Control': 'no-store' },
  );
}

const DEFAULTS: Record<SeenRequest['operation'], () => Response> = {
  token: () => tokenReply(),
  execute: () => json(200, { message: 'Successfully triggered ServerName@acme', triggerUUID: '1234' }),
  result: () => empty(204),
};

function operationOf(url: URL): SeenRequest['operation'] {
  if (url.pathname.endsWith(TOKEN_PATH) || url.pathname.endsWith('/oauth/token')) return 'token';
  if (url.pathname.includes('/autoFacilitate/execute/')) return 'execute';
  if (url.pathname.includes('/autoFacilitate/result/')) return 'result';
  throw new Error(`FakeApi: no route for ${url.pathname}`);
}

export class FakeApi {
  readonly requests: SeenRequest[] = [];
  readonly #scripts: Record<SeenRequest['operation'], Reply[]> = { token: [], execute: [], result: [] };

  /** Answers the next requests of `operation` with `replies`, in order; then the defaults. */
  script(operation: SeenRequest['operation'], ...replies: Reply[]): this {
    this.#scripts[operation].push(...replies);
    return this;
  }

  /** The recorded requests of one operation. */
  seen(operation: SeenRequest['operation']): SeenRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    // Read the request as fetch would send it: headers fetch derives from the body included.
    const sent = new Request(String(input), { ...init, signal: undefined });
    const url = new URL(sent.url);
    const request: SeenRequest = {
      operation: operationOf(url),
      method: sent.method,
      url: sent.url,
      headers: sent.headers,
      body: await sent.text(),
      signal: undefined,
    };
    const signal = init.signal ?? undefined;
    request.signal = signal;
    // Recorded before the abort check: a fetch called with an aborted signal still counts as a call.
    this.requests.push(request);
    signal?.throwIfAborted();
    let reply = this.#scripts[request.operation].shift() ?? DEFAULTS[request.operation]();
    if (typeof reply === 'function') reply = reply(request);
    if (reply instanceof Error) throw reply;
    if (reply instanceof Response) return reply;
    const later = reply === HANG ? new Promise<Response>(() => undefined) : reply;
    if (!signal) return later;
    // Like a real fetch: an abort rejects at once, whatever the server is doing.
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      later.then(resolve, reject);
    });
  };
}
