// Dredd hooks for the facade harness in front of Prism, beside hooks.cjs. Through the harness the
// facade authenticates with its own client credentials, so a request without credentials no
// longer makes the upstream answer 401. The API's 401s are asked for with `Prefer: code=401`
// instead, which the harness forwards: the facade then meets a real 401, refreshes its token
// once, retries once, and must bring the refusal back as the spec documents it.
//
// The token endpoint's 429 is skipped: the facade retries a throttled token request after its
// Retry-After, so its caller sees the retry, never the 429. So are the admin operations: the
// facade has none (they take an admin key, not the facade's client credentials).
//
// Dredd runs every file's beforeEach hooks first (files in name order), then the hooks `before`
// a named transaction: registering those from beforeAll makes these changes come last, whatever
// the other files do.
const hooks = require('hooks');

const TOKEN_PATH = '/tokenservice/oauth2/access_token';
const { skipAdminOperations } = require('./facade-skips.cjs');

hooks.beforeAll((transactions, done) => {
  skipAdminOperations(hooks, transactions);
  const refused = transactions.filter(
    ({ request, expected }) => Number(expected.statusCode) === 401 && !request.uri.startsWith(TOKEN_PATH),
  );
  const throttled = transactions.filter(
    ({ request, expected }) => Number(expected.statusCode) === 429 && request.uri.startsWith(TOKEN_PATH),
  );
  for (const name of new Set(throttled.map((transaction) => transaction.name))) {
    hooks.before(name, (transaction, next) => {
      if (Number(transaction.expected.statusCode) === 429) {
        transaction.skip = true;
        console.log(
          `skip reason: ${transaction.name} [application/x-www-form-urlencoded]: the facade retries a throttled token request after its Retry-After, so its caller sees the retry, never the 429.`,
        );
      }
      next();
    });
  }
  for (const name of new Set(refused.map((transaction) => transaction.name))) {
    hooks.before(name, (transaction, next) => {
      transaction.request.headers.Prefer = 'code=401';
      next();
    });
  }
  done();
});
