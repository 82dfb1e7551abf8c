// Dredd hooks for the real server: every documented (operation, request body type, status) is
// reached the way a client would reach it, with real tokens and real triggers.
// - beforeAll gets the tokens and makes the triggers the result transactions need: one finished
//   with output (200), one still running (202), one finished without output (204).
// - Dredd names the JSON and XML variants of execute alike, so they are told apart by the
//   request's Content-Type.
// - Every execute carries an Idempotency-Key of its own (Dredd would send the example's on all).
// - 409: a first request with the same key and body is held in flight by the fault switch of the
//   test configuration (x-autofacilitate-fault: hold) until the transaction is over.
// - 429: a client whose execute rate is one trigger, ever, spends it first; at the token endpoint,
//   a guessed client id fails to authenticate until it is throttled, from 127.0.0.2, so that the
//   throttle of this host's address (127.0.0.1) stays untouched for every other transaction.
// - The 500s and the 503s (of /healthz, and of the limit checks of execute and the token endpoint)
//   go through the fault switch too.
// - Dredd compares text bodies verbatim, and metrics change with every request: the hook checks
//   that /metrics is the Prometheus text format with the documented series instead.
// - The admin operations are called with the organisation's admin key; their 403 with an access
//   token. beforeAll makes two triggers with a callback (callbacks are off: their deliveries stay
//   pending, never sent): one whose delivery another process's deliverer leases, through the
//   store, as a second server would (the 409 of resend), and one to resend (202). An event stream
//   ends after a second in this configuration; the hook checks it is the SSE format.
// - The console's session operations: sign-in with the admin key (401 with an unknown one, 400
//   with none, 415 as text), the session and the sign-out with the cookie of a fresh sign-in (401 without);
//   their 403 leaves out the console's header, as a form of another site would.
// The server's test starts it with the organisation, services and credentials named below.
const http = require('node:http');
const hooks = require('hooks');

const TOKEN_PATH = '/tokenservice/oauth2/access_token';
const ORG = 'orgId';
const {
  DREDD_ENDPOINT,
  DREDD_CLIENT_ID,
  DREDD_CLIENT_SECRET,
  DREDD_API_KEY,
  DREDD_THROTTLED_CLIENT_ID,
  DREDD_THROTTLED_CLIENT_SECRET,
  DREDD_THROTTLED_API_KEY,
  DREDD_ADMIN_KEY,
  DREDD_STORE,
} = process.env;
const ADMIN = `/admin/v1/organizations/${ORG}`;
// A block of the event stream: comments and fields, as the SSE format has them.
const SSE_LINE = /^(:.*|(retry|id|event|data): .*)$/;
const UNKNOWN_TRIGGER = '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d';
const OVERSIZED = 1024 * 1024 + 1;
const METRICS_SERIES = ['autofacilitate_http_requests_total', 'autofacilitate_queue_depth'];
// A line of the Prometheus text format 0.0.4: a comment, or a sample (name, labels, value, timestamp).
const METRICS_LINE =
  /^(#.*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)( -?[0-9]+)?)$/;

const triggers = {};
// The held request of each 409 transaction, aborted once the transaction is over.
const held = new Map();
let accessToken;
let throttledToken;
let run = 0;
const GUESSED_CLIENT = 'guessed-client';

function header(headers, name) {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function setHeader(headers, name, value) {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  if (value !== undefined) headers[name] = value;
}

function basic() {
  return `Basic ${Buffer.from(`${DREDD_CLIENT_ID}:${DREDD_CLIENT_SECRET}`).toString('base64')}`;
}

function apiHeaders() {
  return { Authorization: `Bearer ${accessToken}`, 'x-api-key': DREDD_API_KEY };
}

async function tokenOf(clientId, clientSecret) {
  const response = await fetch(`${DREDD_ENDPOINT}${TOKEN_PATH}`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=autofacilitateapi',
  });
  if (response.status !== 200)
    throw new Error(`the token endpoint answered ${response.status}: ${await response.text()}`);
  return (await response.json()).access_token;
}

function resultPath(vsn, triggerUUID) {
  return `/via/v2/organizations/${ORG}/autoFacilitate/result/${vsn}/triggerUUID/${triggerUUID}`;
}

async function startTrigger(vsn, triggerParameters, callbackUrls) {
  const response = await fetch(`${DREDD_ENDPOINT}/via/v2/organizations/${ORG}/autoFacilitate/execute/${vsn}`, {
    method: 'POST',
    headers: { ...apiHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ triggerParameters, callbackUrls }),
  });
  if (response.status !== 200) throw new Error(`execute ${vsn} answered ${response.status}: ${await response.text()}`);
  return (await response.json()).triggerUUID;
}

async function settle(vsn, triggerUUID, expected) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${DREDD_ENDPOINT}${resultPath(vsn, triggerUUID)}`, { headers: apiHeaders() });
    if (response.status === expected) return triggerUUID;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the ${vsn} trigger never answered ${expected}`);
}

hooks.beforeAll(async (_transactions, done) => {
  try {
    accessToken = await tokenOf(DREDD_CLIENT_ID, DREDD_CLIENT_SECRET);
    throttledToken = await tokenOf(DREDD_THROTTLED_CLIENT_ID, DREDD_THROTTLED_CLIENT_SECRET);
    triggers.withOutput = await settle('ServerName', await startTrigger('ServerName', { key: 'value' }), 200);
    triggers.withoutOutput = await settle('quiet', await startTrigger('quiet', {}), 204);
    triggers.running = await settle('sleeper', await startTrigger('sleeper', {}), 202);
    await prepareAdmin();
    done();
  } catch (error) {
    console.error(`server hooks: ${error.stack}`);
    process.exit(1);
  }
});

async function firstDelivery(triggerUUID) {
  const response = await fetch(`${DREDD_ENDPOINT}${ADMIN}/triggers/${triggerUUID}`, {
    headers: { Authorization: `Bearer ${DREDD_ADMIN_KEY}` },
  });
  if (response.status !== 200) throw new Error(`getAdminTrigger answered ${response.status}`);
  return (await response.json()).deliveries[0].deliveryId;
}

// The triggers and deliveries the admin transactions need.
async function prepareAdmin() {
  const callbackUrls = ['https://mycompany.com/callbacks/id=123'];
  triggers.inFlight = await settle('ServerName', await startTrigger('ServerName', { key: 'held' }, callbackUrls), 200);
  triggers.inFlightDelivery = await firstDelivery(triggers.inFlight);
  // Another process's deliverer leases the only delivery due so far, and holds it for an hour.
  // The server's own store (SQLite or PostgreSQL), opened as another process of its configuration would.
  const { openStorage } = await import('@autofacilitate/server');
  const other = await openStorage(JSON.parse(DREDD_STORE));
  const claimed = await other.claimDeliveries({
    workerId: 'dredd-other-process',
    now: Date.now(),
    leaseMs: 3_600_000,
    limit: 1,
  });
  await other.close();
  if (claimed[0]?.delivery.deliveryId !== triggers.inFlightDelivery)
    throw new Error('the delivery to hold was not leased');
  triggers.resend = await settle('ServerName', await startTrigger('ServerName', { key: 'again' }, callbackUrls), 200);
  triggers.resendDelivery = await firstDelivery(triggers.resend);
  // The first service listed has finished a trigger in the last hour, so it has a success rate to show.
  await settle('needs-customer', await startTrigger('needs-customer', { customerId: '7' }), 200);
}

const SESSION_PATH = '/admin/v1/session';

// A fresh console session's cookie.
async function signIn() {
  const response = await fetch(`${DREDD_ENDPOINT}${SESSION_PATH}`, {
    method: 'POST',
    headers: { 'x-autofacilitate-console': '1', 'Content-Type': 'application/json' },
    body: JSON.stringify({ adminKey: DREDD_ADMIN_KEY }),
  });
  if (response.status !== 200) throw new Error(`signInAdminSession answered ${response.status}`);
  return response.headers.get('set-cookie').split(';')[0];
}

async function prepareSession(request, status) {
  setHeader(request.headers, 'Authorization', undefined);
  setHeader(request.headers, 'x-autofacilitate-console', status === 403 ? undefined : '1');
  if (request.method === 'POST') {
    request.body =
      status === 400 ? '{}' : JSON.stringify({ adminKey: status === 401 ? 'no-such-key' : DREDD_ADMIN_KEY });
    // The right key in a media type other than JSON: a sign-in reads JSON only.
    if (status === 415) setHeader(request.headers, 'Content-Type', 'text/plain');
  } else {
    setHeader(request.headers, 'Cookie', status === 401 ? undefined : await signIn());
  }
  return SESSION_PATH;
}

function prepareAdminCall(request, status) {
  setHeader(request.headers, 'Authorization', `Bearer ${status === 403 ? accessToken : DREDD_ADMIN_KEY}`);
  const operation = request.uri.split('?')[0].replace(/^\/admin\/v1\/organizations\/[^/]+/, '');
  const resend = (triggerUUID, deliveryId) => `${ADMIN}/triggers/${triggerUUID}/deliveries/${deliveryId}/resend`;
  if (status === 404) return `/admin/v1/organizations/NoSuchOrg${operation === '/triggers' ? '/triggers' : operation}`;
  if (operation.endsWith('/resend')) {
    const paths = {
      400: resend(triggers.resend, 'first'),
      409: resend(triggers.inFlight, triggers.inFlightDelivery),
    };
    return paths[status] ?? resend(triggers.resend, triggers.resendDelivery);
  }
  if (operation.startsWith('/triggers/')) {
    return `${ADMIN}/triggers/${status === 400 ? '%FF' : triggers.withOutput}`;
  }
  if (operation === '/triggers') return `${ADMIN}/triggers${status === 400 ? '?limit=0' : '?status=succeeded&limit=2'}`;
  return `${ADMIN}${operation}`;
}

// What to send for each status of execute, by request body type.
const execute = {
  'application/json': {
    400: (request) => (request.body = '{"triggerParameters": {"key": 5}}'),
    413: (request) => (request.body = JSON.stringify({ triggerParameters: { key: 'x'.repeat(OVERSIZED) } })),
  },
  'application/xml': {
    400: (request) => (request.body = '<root><triggerParameters><key>value</key></root>'),
    413: (request) =>
      (request.body = `<root><triggerParameters><key>${'x'.repeat(OVERSIZED)}</key></triggerParameters></root>`),
  },
};

/**
 * Holds a request with this transaction's key and body in flight: two such requests race, one
 * holds the key and stays unanswered, the other meets it and answers 409. Resolves once one has.
 */
async function holdInFlight(transaction) {
  const { request } = transaction;
  const controller = new AbortController();
  const send = () =>
    fetch(`${DREDD_ENDPOINT}${request.uri}`, {
      method: 'POST',
      headers: { ...request.headers, 'x-autofacilitate-fault': 'hold' },
      body: request.body,
      signal: controller.signal,
    }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    });
  const first = await Promise.race([send(), send()]);
  if (first !== 409) throw new Error(`a held request answered ${first}, not 409`);
  held.set(transaction, controller);
}

async function spendThrottledRate(request) {
  const response = await fetch(`${DREDD_ENDPOINT}${request.uri}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${throttledToken}`,
      'x-api-key': DREDD_THROTTLED_API_KEY,
      'Content-Type': 'application/json',
    },
    body: '{}',
  });
  await response.arrayBuffer();
  // 429 when an earlier transaction (the other body type's) spent it already.
  if (response.status !== 200 && response.status !== 429)
    throw new Error(`spending the throttled client's rate answered ${response.status}`);
}

function prepareExecute(request, status, contentType) {
  Object.assign(request.headers, apiHeaders());
  setHeader(request.headers, 'Idempotency-Key', `dredd-${process.pid}-${++run}`);
  if (status === 429)
    Object.assign(request.headers, { Authorization: `Bearer ${throttledToken}`, 'x-api-key': DREDD_THROTTLED_API_KEY });
  const perType = execute[contentType] || {};
  if (perType[status]) perType[status](request);
  if (status === 404) return request.uri.replace(/\/execute\/[^/]+$/, '/execute/NoSuchService');
  if (status === 415) setHeader(request.headers, 'Content-Type', 'text/plain');
  if (status === 422) return request.uri.replace(/\/execute\/[^/]+$/, '/execute/needs-customer');
  return request.uri;
}

function prepareResult(request, status) {
  Object.assign(request.headers, apiHeaders());
  const paths = {
    200: resultPath('ServerName', triggers.withOutput),
    202: resultPath('sleeper', triggers.running),
    204: resultPath('quiet', triggers.withoutOutput),
    // Any triggerUUID the schema allows (1 to 128 characters) is looked up (404 when unknown): a
    // path that does not decode, a percent-encoded byte that is not UTF-8, is malformed.
    400: resultPath('ServerName', '%FF'),
    401: resultPath('ServerName', triggers.withOutput),
    404: resultPath('ServerName', UNKNOWN_TRIGGER),
    // A trigger of the quiet service, asked for under ServerName.
    422: resultPath('ServerName', triggers.withoutOutput),
    500: resultPath('ServerName', triggers.withOutput),
  };
  return paths[status];
}

function prepareToken(request, status) {
  const grants = {
    200: 'grant_type=client_credentials&scope=autofacilitateapi',
    400: 'grant_type=client_credentials&scope=admin',
    401: 'grant_type=client_credentials&scope=autofacilitateapi',
  };
  request.body = grants[status] ?? grants[200];
  const guessing = { 401: DREDD_CLIENT_ID, 429: GUESSED_CLIENT }[status];
  request.headers.Authorization = guessing ? wrongSecret(guessing) : basic();
  return request.uri;
}

function wrongSecret(clientId) {
  return `Basic ${Buffer.from(`${clientId}:wrong-secret`).toString('base64')}`;
}

// Fails to authenticate as the guessed client, from 127.0.0.2, until the server throttles it.
async function throttleGuessedClient() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = await new Promise((resolve, reject) => {
      const request = http.request(`${DREDD_ENDPOINT}${TOKEN_PATH}`, {
        method: 'POST',
        localAddress: '127.0.0.2',
        headers: { Authorization: wrongSecret(GUESSED_CLIENT), 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      request.on('response', (response) => response.resume().on('end', () => resolve(response.statusCode)));
      request.on('error', reject);
      request.end('grant_type=client_credentials');
    });
    if (status === 429) return;
    if (status !== 401) throw new Error(`a guessed client secret answered ${status}, not 401 or 429`);
  }
  throw new Error('100 guessed client secrets were never throttled');
}

hooks.beforeEach(async (transaction, done) => {
  const { request, expected } = transaction;
  const status = Number(expected.statusCode);
  const contentType = (header(request.headers, 'Content-Type') || '').split(';')[0];
  const operational = request.uri === '/metrics' || request.uri === '/healthz';

  let path;
  if (request.uri.startsWith(TOKEN_PATH)) {
    path = prepareToken(request, status);
  } else if (request.uri === SESSION_PATH) {
    path = await prepareSession(request, status);
  } else if (request.uri.startsWith('/admin/')) {
    path = prepareAdminCall(request, status);
  } else if (operational) {
    path = request.uri;
  } else if (request.method === 'POST') {
    path = prepareExecute(request, status, contentType);
  } else {
    path = prepareResult(request, status);
  }
  // Dredd sends the request to fullPath; uri is what it reports.
  request.uri = path;
  transaction.fullPath = path;
  if (status === 401 && !request.uri.startsWith(TOKEN_PATH)) setHeader(request.headers, 'Authorization', undefined);
  if (status === 500) request.headers['x-autofacilitate-fault'] = 'internal';
  if (status === 503) request.headers['x-autofacilitate-fault'] = 'unavailable';
  try {
    if (status === 409) await holdInFlight(transaction);
    if (status === 429)
      await (request.uri.startsWith(TOKEN_PATH) ? throttleGuessedClient() : spendThrottledRate(request));
  } catch (error) {
    transaction.fail = `server hooks: ${error.message}`;
  }
  console.log(
    `server hooks: ${transaction.name} [${contentType || 'no body'}] → ${request.method} ${request.uri.slice(0, 120)}`,
  );
  done();
});

hooks.afterEach((transaction, done) => {
  held.get(transaction)?.abort();
  held.delete(transaction);
  done();
});

function checkEventStream(transaction) {
  const body = transaction.real.body;
  const wrong = body.split('\n').filter((line) => line !== '' && !SSE_LINE.test(line));
  if (!body.startsWith('retry: ') || !body.includes('\n: open\n') || wrong.length > 0) {
    transaction.fail = `the event stream is not the SSE format it documents: ${JSON.stringify(body.slice(0, 200))}`;
  } else {
    // Checked above as the format; which events it carries depends on what happened meanwhile.
    transaction.expected.body = body;
  }
}

hooks.beforeEachValidation((transaction, done) => {
  if (transaction.request.uri.endsWith('/events') && transaction.real.statusCode === 200) {
    checkEventStream(transaction);
    return done();
  }
  if (transaction.request.uri !== '/metrics' || transaction.real.statusCode !== 200) return done();
  const body = transaction.real.body;
  const wrong = body.split('\n').filter((line) => line !== '' && !METRICS_LINE.test(line));
  const missing = METRICS_SERIES.filter((series) => !body.includes(`# TYPE ${series} `));
  if (wrong.length > 0 || missing.length > 0) {
    transaction.fail = `/metrics is not the Prometheus text format with the documented series: ${[...wrong.slice(0, 3), ...missing].join('; ')}`;
  } else {
    // Checked above as the format; Dredd's verbatim comparison of text bodies would fail on any new count.
    transaction.expected.body = body;
  }
  done();
});
