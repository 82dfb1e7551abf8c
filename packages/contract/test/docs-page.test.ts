// The rendered API docs in a real browser (Debian's chromium, driven by playwright-core): the page
// makes no request to any other host, and its first screen reads: the title, the operations, what this
// toolkit adds to Alvaria's API, and code samples.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { nodeBinary, specPath, workspaceRoot } from '../src/paths';
import { run, succeeded } from '../src/run';

// `.ci/run` installs it with apt when it is missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Git-ignored: the screenshot is a test artefact, to look at, never committed.
const ARTEFACTS = join(workspaceRoot, 'tmp/test-artefacts');
// The sidebar's groups (the spec's tags), each with its operations and the route Redoc gives them.
const GROUPS = {
  Execute: [['Execute Service', '#/execute/executeservice']],
  Result: [['Get Trigger result', '#/result/gettriggerresult']],
  Token: [['Get an access token', '#/token/getaccesstoken']],
  Operations: [
    ['Get metrics', '#/operations/getmetrics'],
    ['Check health', '#/operations/gethealth'],
  ],
  Admin: [
    ['List triggers', '#/admin/listadmintriggers'],
    ['Get a trigger', '#/admin/getadmintrigger'],
    ['Resend a callback', '#/admin/resendadmindelivery'],
    ['List services', '#/admin/listadminservices'],
    ['Get API key usage', '#/admin/getadminusage'],
    ['Stream changes', '#/admin/streamadminevents'],
    ['Sign in to the console', '#/admin/signinadminsession'],
    ['Get the console session', '#/admin/getadminsession'],
    ['Sign out of the console', '#/admin/signoutadminsession'],
  ],
} as const;
// The operations Alvaria's API has, which the SDK and the CLI call; the others are the server's own.
const API_OPERATIONS = new Set(['Execute Service', 'Get Trigger result', 'Get an access token']);

let scratch: string;
let browser: Browser;
let page: Page;
let pageUrl: string;
const outside: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'docs-page-'));
  const html = join(scratch, 'autofacilitate.html');
  succeeded(
    await run(nodeBinary, ['tools/docs/render-docs.mjs', specPath, html], { cwd: workspaceRoot }),
    'render-docs',
  );

  browser = await chromium.launch({ executablePath: CHROMIUM });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Every request the page makes is seen here; any not answered by the page itself is recorded,
  // and refused, so not even a failing test reaches the network.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|blob|about):/.test(url)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page = await context.newPage();
  pageUrl = pathToFileURL(html).href;
  await page.goto(pageUrl);
  // Redoc renders in the browser: the page is ready when its title is shown.
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
});

afterAll(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const menu = () => page.locator('[data-component-name="Menu/Menu"]').first();
const onFirstScreen = async (locator: ReturnType<Page['locator']>) => {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= page.viewportSize()!.height;
};

test('the first screen shows the title and the groups of operations, each listing its operations', async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTEFACTS, 'docs-first-screen.png') });
  const title = page.getByRole('heading', { level: 1 }).first();
  expect(await title.textContent()).toBe('Alvaria Cloud AutoFacilitate REST API (1.0.0)');
  expect(await onFirstScreen(title)).toBe(true);
  for (const [group, operations] of Object.entries(GROUPS)) {
    const entry = menu().locator('[data-component-name="Menu/MenuItem"]', { hasText: new RegExp(`^${group}$`) });
    expect({ group, shown: await onFirstScreen(entry) }).toEqual({ group, shown: true });
    await entry.click();
    for (const [operation] of operations) await menu().getByText(operation, { exact: true }).waitFor();
  }
});

describe.each(Object.values(GROUPS).flat())('%s', (operation, route) => {
  beforeAll(async () => {
    await page.goto(`${pageUrl}${route}`);
    await page.getByRole('heading', { level: 2, name: operation }).waitFor();
  });

  test('has code samples: curl, and the SDK and the CLI where they call it', async () => {
    // Redoc gives each operation a section whose id is its route.
    const section = page.locator(`[id="${route.slice(2)}"]`);
    if (!API_OPERATIONS.has(operation)) {
      // A single sample, shown as it is: curl, with the credential it needs, to the self-hosted server.
      await section
        .locator('[data-component-name="CodeBlock/CodeBlockContainer"]', {
          hasText:
            /curl -sN? (-X POST )?(-H "Authorization: Bearer \$ADMIN_KEY" (\\\s+)?)?'?http:\/\/127\.0\.0\.1:8080\//,
        })
        .waitFor();
      return;
    }
    // Redoc shows one sample at a time, with a menu button, named after it, that lists the others.
    const named = page.getByRole('button', { name: /^(curl|SDK|CLI)$/ });
    const panel = section.locator('[data-component-name="Panel/Panel"]', { has: named });
    const picker = panel.getByRole('button', { name: /^(curl|SDK|CLI)$/ });
    for (const [label, text] of [
      ['curl', 'curl -s '],
      ['SDK', "from '@autofacilitate/sdk'"],
      ['CLI', 'npx autofacilitate '],
    ]) {
      await picker.click();
      await page.getByRole('menuitem', { name: label, exact: true }).click();
      await expect(
        panel.locator('[data-component-name="CodeBlock/CodeBlockContainer"]').textContent(),
      ).resolves.toContain(text);
    }
  });

  test('says what this toolkit adds to Alvaria\'s API in words, never "Extension:"', async () => {
    const main = page.locator('main').first();
    expect(await main.getByText('Extension:', { exact: false }).count()).toBe(0);
    if (operation !== 'Get Trigger result')
      expect(await main.getByText('Added by this toolkit', { exact: true }).count()).toBeGreaterThan(0);
  });
});

test('the page makes no request to any other host, whichever operation is shown', async () => {
  for (const [operation, route] of Object.values(GROUPS).flat()) {
    await page.goto(`${pageUrl}${route}`);
    await page.getByRole('heading', { level: 2, name: operation }).waitFor();
  }
  await page.waitForLoadState('networkidle');
  expect(outside).toEqual([]);
});
