import { join } from 'node:path';
import { documentedTransactions } from '../src/documented-transactions';
import { runDredd } from '../src/dredd';
import { startDreddServer, type DreddServer } from '../src/dredd-server';

let server: DreddServer;

beforeAll(async () => {
  server = await startDreddServer('Dredd server configuration');
});

afterAll(async () => {
  await server?.stop();
});

test('Dredd: every documented transaction of every operation passes against the server, XML variants included', async () => {
  const documented = documentedTransactions();

  const result = await runDredd({
    endpoint: server.url,
    hookfiles: [join(__dirname, '../dredd/server-hooks.cjs')],
    env: server.hookEnv(),
  });

  const { passing, failing, errors, skipped, total } = result;
  if (failing + errors > 0 || passing !== documented.length) console.error(result.output);
  expect({ passing, failing, errors, skipped, total }).toEqual({
    passing: documented.length,
    failing: 0,
    errors: 0,
    skipped: 0,
    total: documented.length,
  });
  // Both request body types of execute were sent.
  expect(result.output).toMatch(/\[application\/xml\] → POST/);
  expect(result.output).toMatch(/\[application\/json\] → POST/);
});
