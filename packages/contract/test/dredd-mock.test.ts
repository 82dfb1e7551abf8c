import { join } from 'node:path';
import { documentedTransactions, isXml } from '../src/documented-transactions';
import { runDredd } from '../src/dredd';
import { startPrism, type RunningPrism } from '../src/prism';

let prism: RunningPrism;

beforeAll(async () => {
  prism = await startPrism();
});

afterAll(async () => {
  await prism?.stop();
});

test('Dredd: every documented JSON transaction passes against the mock; XML variants are the only skips', async () => {
  const documented = documentedTransactions();
  const xml = documented.filter(isXml);

  const result = await runDredd({ endpoint: prism.url, hookfiles: [join(__dirname, '../dredd/hooks.cjs')] });

  const { passing, failing, errors, skipped, total } = result;
  const expected = {
    passing: documented.length - xml.length,
    failing: 0,
    errors: 0,
    skipped: xml.length,
    total: documented.length,
  };
  if (failing + errors > 0) console.error(result.output);
  expect({ passing, failing, errors, skipped, total }).toEqual(expected);
  // Each skip says why.
  expect(result.output.match(/skip reason: .*\[application\/xml\]: Prism cannot parse XML/g)).toHaveLength(xml.length);
});
