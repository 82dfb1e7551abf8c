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
import { AccessTokenToJSON, TriggerResultToJSON } from '@autofacilitate/client';
import { AutoFacilitate } from '@autofacilitate/sdk';
import { passThrough } from './harness-pass-through';
import { forwarded, readBody, triggerBody } from './harness-request';
import { sendError, sendJson, sendOutcome } from './harness-response';

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
// The facade fetches its own token; the caller's bearer token is not the harness's to reuse.
const HARNESS_CLIENT = { clientId: 'facade-harness', clientSecret: 'facade-harness-secret' };

function facade(
  upstream: string,
  orgId: string,
  apiKey: string | undefined,
  credentials: FacadeHarnessOptions['credentials'] = HARNESS_CLIENT,
): AutoFacilitate {
  // No retries: each documented status must come back as the upstream answered it, where the
  // facade would retry a 429 or a 5xx (and, with an Idempotency-Key, more) until it passed.
  return new AutoFacilitate({
    orgId,
    baseUrl: upstream,
    apiKey: apiKey || 'facade-harness-key',
    ...credentials,
    retry: false,
  });
}

/** The client the facade fetches its tokens as, for a caller presenting `apiKey`. */
function clientFor(
  { credentials, credentialsByApiKey }: FacadeHarnessOptions,
  apiKey: string | undefined,
): FacadeHarnessOptions['credentials'] {
  return (apiKey !== undefined && credentialsByApiKey?.[apiKey]) || credentials;
}

async function serveToken(
  { upstream }: FacadeHarnessOptions,
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): Promise<void> {
  const form = new URLSearchParams(body);
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  const [clientId, clientSecret] = basic
    ? Buffer.from(basic[1] ?? '', 'base64')
        .toString('latin1')
        .split(/:(.*)/s)
    : [form.get('client_id'), form.get('client_secret')];
  if (!clientId || !clientSecret) {
    sendJson(response, 401, {
      error: 'invalid_client',
      error_description: 'The harness needs client credentials to call the facade',
    });
    return;
  }
  try {
    const token = await facade(upstream, 'harness', undefined, { clientId, clientSecret }).getAccessToken({
      headers: forwarded(request),
    });
    const expiresIn = Math.round((token.expiresAt.getTime() - Date.now()) / 1000);
    sendJson(
      response,
      200,
      AccessTokenToJSON({ accessToken: token.accessToken, tokenType: token.tokenType, expiresIn, scope: token.scope }),
      { 'Cache-Control': 'no-store' },
    );
  } catch (error) {
    sendError(response, error, true);
  }
}

async function serveExecute(
  options: FacadeHarnessOptions,
  [orgId, vsn]: string[],
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): Promise<void> {
  try {
    const { triggerParameters, callbackUrls, format } = triggerBody(request, body);
    const idempotencyKey = request.headers['idempotency-key'];
    const apiKey = request.headers['x-api-key'] as string | undefined;
    const started = await facade(options.upstream, orgId ?? '', apiKey, clientFor(options, apiKey)).execute(
      vsn ?? '',
      triggerParameters,
      {
        callbackUrls,
        format,
        headers: forwarded(request),
        ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
      },
    );
    sendJson(response, 200, TriggerResultToJSON(started), started.replayed ? { 'Idempotent-Replayed': 'true' } : {});
  } catch (error) {
    sendError(response, error, false);
  }
}

async function serveResult(
  options: FacadeHarnessOptions,
  [orgId, vsn, triggerUUID]: string[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
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
      else if (request.method === 'POST' && execute)
        await serveExecute(options, segments(execute), request, body, response);
      else if (request.method === 'GET' && result) await serveResult(options, segments(result), request, response);
      else if (request.method === 'GET' && PASSED_THROUGH.has(path))
        await passThrough(options.upstream, request, body, response);
      else
        sendJson(response, 404, {
          code: '404',
          message: `The harness serves no ${request.method} ${path}`,
          errors: [],
        });
    })().catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { code: '500', message: `Harness failure: ${String(error)}`, errors: [] });
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
