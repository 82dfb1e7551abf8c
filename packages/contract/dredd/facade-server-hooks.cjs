// Dredd hooks for the facade harness in front of the real server, beside server-hooks.cjs.
// - The API's 401s: the harness's facade authenticates with its own client, so the caller's
//   missing token changes nothing; an unknown API key is sent instead, which the server refuses
//   with 401 whatever the token, naming the API key. The facade fetches no second token for it
//   and must bring the refusal back as the spec documents it.
// - A few transactions need a request the facade never sends; they are skipped, each with why.
//   So are the admin operations: the facade has none.
//
// Dredd runs every file's beforeEach hooks first (files in name order), then the hooks `before`
// a named transaction: registering those from beforeAll makes these changes come last, after
// server-hooks.cjs has set the transaction up.
const hooks = require('hooks');

const TOKEN_PATH = '/tokenservice/oauth2/access_token';
const { skipAdminOperations } = require('./facade-skips.cjs');

function header(headers, name) {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

// Why the facade cannot be made to send what a transaction needs, if it cannot.
function unreachable(token, contentType, status) {
  if (token && status === 400)
    return 'the facade always asks for the autofacilitateapi scope, so the token service has no bad grant to refuse';
  if (token && status === 429)
    return 'the facade retries a throttled token request after its Retry-After, so its caller sees the retry, never the 429';
  if (!token && status === 415)
    return 'the facade sends JSON or XML only, so there is no unsupported media type to refuse';
  if (!token && status === 400 && !contentType)
    return 'the facade percent-encodes every path parameter, so it sends no malformed result path';
  if (!token && status === 400 && contentType === 'application/xml')
    return 'the facade writes well-formed XML only, so there is no malformed body to refuse';
  return undefined;
}

function adjust(transaction, next) {
  const { request, expected } = transaction;
  // Skipped whole by facade-skips.cjs.
  if (request.uri.startsWith('/admin/')) return next();
  const status = Number(expected.statusCode);
  const token = request.uri.startsWith(TOKEN_PATH);
  // The request body type the spec documents (server-hooks.cjs sends text/plain for the 415s).
  const contentType = (header(transaction.request.headers, 'Content-Type') || '').split(';')[0];
  const documentedType = status === 415 ? 'any body' : contentType || 'no body';
  const reason = unreachable(token, contentType, status);
  if (reason) {
    transaction.skip = true;
    console.log(`skip reason: ${transaction.name} [${documentedType}]: ${reason}.`);
  } else if (status === 401 && !token) {
    request.headers['x-api-key'] = 'unknown-api-key';
  }
  next();
}

hooks.beforeAll((transactions, done) => {
  skipAdminOperations(hooks, transactions);
  for (const name of new Set(transactions.map((transaction) => transaction.name))) hooks.before(name, adjust);
  done();
});
