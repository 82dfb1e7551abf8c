// What neither facade harness can serve: the admin operations, which take an admin key rather
// than the facade's client credentials, and which the facade does not offer.
const ADMIN_PATH = '/admin/';

/** Skips every admin transaction, each with its reason (`hooks` is the calling hook file's: Dredd gives each its own). */
function skipAdminOperations(hooks, transactions) {
  const admin = transactions.filter(({ request }) => request.uri.startsWith(ADMIN_PATH));
  for (const name of new Set(admin.map((transaction) => transaction.name))) {
    hooks.before(name, (transaction, next) => {
      transaction.skip = true;
      console.log(
        `skip reason: ${transaction.name}: the facade has no admin operations; they take an admin key, not its client credentials.`,
      );
      next();
    });
  }
}

module.exports = { skipAdminOperations };
