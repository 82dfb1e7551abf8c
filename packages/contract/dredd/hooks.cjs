// Dredd hooks for the Prism mock: every documented (operation, status) pair is asked for.
// - Credentials are sent as a client would; the 401s of the API are real (no credentials, so
//   Prism's own security check refuses them); every other status (execute's 409 and 429 and
//   /healthz's 503 among them) is asked for with Prism's `Prefer: code=…`, since Dredd on
//   OpenAPI 3 runs non-2xx transactions as written. /metrics and /healthz need no credentials:
//   the ones sent anyway change nothing.
// - Prism cannot parse XML request bodies, so the XML variants of execute are skipped here, each
//   with its reason; the server's suite runs them.
// - Dredd does not encode form-encoded examples, so the token grant is encoded here.
// - The admin operations' 401 has a body, which Prism's own security refusal lacks: every status
//   of theirs, 401 included, is asked for with an admin key and `Prefer: code=…`.
const hooks = require('hooks');

const TOKEN_PATH = '/tokenservice/oauth2/access_token';
const ADMIN_PATH = '/admin/';

function header(headers, name) {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

hooks.beforeEach((transaction, done) => {
  const { request, expected } = transaction;
  const status = Number(expected.statusCode);
  const contentType = header(request.headers, 'Content-Type') || '';

  if (contentType.startsWith('application/xml')) {
    transaction.skip = true;
    console.log(
      `skip reason: ${transaction.name} [application/xml]: Prism cannot parse XML request bodies; the server suite runs this transaction.`,
    );
    return done();
  }

  if (request.uri.startsWith(TOKEN_PATH)) {
    // Dredd sends no body for form-encoded examples: encode the spec's example grant ourselves.
    request.body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'autofacilitateapi' }).toString();
    request.headers.Authorization = `Basic ${Buffer.from('contract-client:contract-secret').toString('base64')}`;
  } else if (request.uri.startsWith(ADMIN_PATH)) {
    // Either credential of the admin operations; the console's session operations take the cookie.
    request.headers.Authorization = 'Bearer contract-admin-key';
    request.headers.Cookie = 'autofacilitate_admin_session=contract-session';
  } else if (status !== 401) {
    request.headers.Authorization = 'Bearer contract-test-token';
    request.headers['x-api-key'] = 'contract-test-key';
  }
  if (status !== 401 || request.uri.startsWith(TOKEN_PATH) || request.uri.startsWith(ADMIN_PATH)) {
    request.headers.Prefer = `code=${status}`;
  }
  return done();
});
