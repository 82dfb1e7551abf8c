// Dredd hooks for the real server: every documented (operation, request body type, status) is
// reached the way a client would reach it, with real tokens and real triggers.
// - beforeAll gets a token and makes the triggers the result transactions need: one finished
//   with output (200), one still running (202), one finished without output (204).
// - Dredd names the JSON and XML variants of execute alike, so they are told apart by the
//   request's Content-Type.
// - The 500s go through the fault switch of the test configuration (x-autofacilitate-fault).
// The server's test starts it with the organisation, services and credentials named below.
const hooks = require('hooks');

const TOKEN_PATH = '/tokenservice/oauth2/access_token';
const ORG = 'orgId';
const { DREDD_ENDPOINT, DREDD_CLIENT_ID, DREDD_CLIENT_SECRET, DREDD_API_KEY } = process.env;
const UNKNOWN_TRIGGER = '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d';
const OVERSIZED = 1024 * 1024 + 1;

const triggers = {};
let accessToken;

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

function resultPath(vsn, triggerUUID) {
  return `/via/v2/organizations/${ORG}/autoFacilitate/result/${vsn}/triggerUUID/${triggerUUID}`;
}

async function startTrigger(vsn, triggerParameters) {
  const response = await fetch(`${DREDD_ENDPOINT}/via/v2/organizations/${ORG}/autoFacilitate/execute/${vsn}`, {
    method: 'POST',
    headers: { ...apiHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ triggerParameters }),
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
    const response = await fetch(`${DREDD_ENDPOINT}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=autofacilitateapi',
    });
    if (response.status !== 200) throw new Error(`the token endpoint answered ${response.status}: ${await response.text()}`);
    accessToken = (await response.json()).access_token;
    triggers.withOutput = await settle('ServerName', await startTrigger('ServerName', { key: 'value' }), 200);
    triggers.withoutOutput = await settle('quiet', await startTrigger('quiet', {}), 204);
    triggers.running = await settle('sleeper', await startTrigger('sleeper', {}), 202);
    done();
  } catch (error) {
    console.error(`server hooks: ${error.stack}`);
    process.exit(1);
  }
});

// What to send for each status of execute, by request body type.
const execute = {
  'application/json': {
    400: (request) => (request.body = '{"triggerParameters": {"key": 5}}'),
    413: (request) => (request.body = JSON.stringify({ triggerParameters: { key: 'x'.repeat(OVERSIZED) } })),
  },
  'application/xml': {
    400: (request) => (request.body = '<root><triggerParameters><key>value</key></root>'),
    413: (request) => (request.body = `<root><triggerParameters><key>${'x'.repeat(OVERSIZED)}</key></triggerParameters></root>`),
  },
};

function prepareExecute(request, status, contentType) {
  Object.assign(request.headers, apiHeaders());
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
    // The example triggerUUID, "1234", is not a UUID.
    400: request.uri,
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
  request.body = grants[status];
  request.headers.Authorization = status === 401 ? `Basic ${Buffer.from(`${DREDD_CLIENT_ID}:wrong-secret`).toString('base64')}` : basic();
  return request.uri;
}

hooks.beforeEach((transaction, done) => {
  const { request, expected } = transaction;
  const status = Number(expected.statusCode);
  const contentType = (header(request.headers, 'Content-Type') || '').split(';')[0];

  let path;
  if (request.uri.startsWith(TOKEN_PATH)) {
    path = prepareToken(request, status);
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
  console.log(`server hooks: ${transaction.name} [${contentType || 'no body'}] → ${request.method} ${request.uri.slice(0, 120)}`);
  done();
});
