// The operators' console in a real browser (Debian's chromium, driven by playwright-core) on the
// real built server: sign in, a trigger executed through the SDK appears in the open table without
// reload, the failed ones filtered, a failed callback's attempts seen and resent once its receiver
// is fixed, sign out; screenshots at 1280 and 390 pixels wide; axe-core on every page.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoFacilitate } from '@autofacilitate/sdk';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { workspaceRoot } from '../src/paths';
import { startConsoleServer, startReceiver, type ConsoleServer, type Receiver } from './support/console-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Git-ignored: the screenshots are test artefacts, to look at, never committed.
const ARTEFACTS = join(workspaceRoot, 'tmp/test-artefacts/console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server: ConsoleServer;
let receiver: Receiver;
let client: AutoFacilitate;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const outside: string[] = [];
const policyViolations: string[] = [];

beforeAll(async () => {
  [server, receiver] = await Promise.all([startConsoleServer(), startReceiver()]);
  client = new AutoFacilitate({
    orgId: 'acme',
    baseUrl: server.url,
    clientId: 'console-client',
    clientSecret: server.clientSecret,
    apiKey: server.apiKey,
  });
  mkdirSync(ARTEFACTS, { recursive: true });
  console.log(`console screenshots: ${ARTEFACTS}`);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Any request to another host is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${server.url}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), receiver?.close()]);
});

/** No serious or critical axe-core violation on the page as it is now. */
async function expectAccessible(name: string): Promise<void> {
  // Evaluated through the debugging protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const { violations } = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe.run();
    return violations.filter((one) => one.impact === 'serious' || one.impact === 'critical').map((one) => one.id);
  });
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

/** Screenshots at 1280 and 390 pixels wide, and the page still fits the narrow one without a sideways scroll. */
async function screenshots(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTEFACTS, `${name}-390.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('an operator signs in, watches, filters, resends a failed callback and signs out', async () => {
  const answer = await page.goto(`${server.url}/console/`);
  expect(answer!.headers()['content-security-policy']).toContain("default-src 'self'");
  await expectAccessible('sign-in');
  await screenshots('sign-in');

  // Sign in by keyboard.
  await page.getByLabel('Admin key').fill(server.adminKey);
  await page.getByLabel('Admin key').press('Enter');
  await page.getByRole('heading', { name: 'Triggers' }).waitFor();
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: 'autofacilitate_admin_session', httpOnly: true, sameSite: 'Strict' });
  expect(cookie!.path).toBe('/admin/v1');
  expect(cookie!.value).not.toBe(server.adminKey);
  // The page itself keeps nothing: no readable cookie, nothing in web storage.
  expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(['', 0, 0]);

  // A trigger executed through the SDK appears in the open table, without reload, within 2 s.
  await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
  const { triggerUUID: echoed } = await client.execute('echo', { greeting: 'hello' });
  await page.locator(`tr[data-trigger="${echoed}"]`).waitFor({ timeout: 2000 });
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);

  // A failed trigger whose callback receiver answers 500, twice (the attempt and its one retry).
  const { triggerUUID: failed } = await client.execute('broken', {}, { callbackUrls: [receiver.url] });
  await receiver.received(2);
  await page.locator(`tr[data-trigger="${failed}"]`).waitFor();
  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator(`tr[data-trigger="${echoed}"]`).waitFor({ state: 'detached' });
  expect(await page.locator('tbody tr').count()).toBe(1);
  await expectAccessible('triggers');
  await screenshots('triggers');

  // Its page: the error, the timeline, each attempt at its callback with the receiver's 500.
  await page.getByRole('link', { name: failed }).click();
  await page.getByRole('heading', { name: `Trigger ${failed}` }).waitFor();
  const resend = page.getByRole('button', { name: /^Resend callback \d+$/ });
  await resend.waitFor();
  const attempts = page.getByRole('table', { name: /^Attempts of callback/ }).locator('tbody tr');
  expect(await attempts.allInnerTexts()).toEqual([
    expect.stringMatching(/^1\t.*\t\d+ ms\t500\t/),
    expect.stringMatching(/^2\t.*\t\d+ ms\t500\t/),
  ]);
  expect(await page.locator('.timeline li').allInnerTexts()).toEqual([
    expect.stringMatching(/ queued$/),
    expect.stringMatching(/ running$/),
    expect.stringMatching(/ failed$/),
    expect.stringMatching(/ callback \d+ attempt 1: 500$/),
    expect.stringMatching(/ callback \d+ attempt 2: 500$/),
  ]);
  expect(await page.getByText('upstream answered 503').count()).toBeGreaterThan(0);
  await expectAccessible('trigger');
  await screenshots('trigger');

  // The receiver is fixed; the resend's new attempt succeeds, and the page shows it without reload.
  receiver.status = 204;
  await resend.click();
  await attempts.nth(2).filter({ hasText: '204' }).waitFor();
  await page.locator('.delivery .status.delivered').waitFor();
  expect(await resend.count()).toBe(0);

  // The services, with their charts.
  await page.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('heading', { name: 'broken' }).waitFor();
  const broken = page.getByRole('article', { name: 'broken' });
  expect(await broken.getByRole('img', { name: /^Finished in the last hour: succeeded 0, failed 1/ }).count()).toBe(1);
  // The last hour in samples: the failed trigger is the last five minutes' throughput, with its latency.
  expect(await broken.getByRole('img', { name: /^Throughput, last hour: now 1 per 5 min, highest 1 / }).count()).toBe(
    1,
  );
  expect(await broken.getByRole('img', { name: /^Queue depth, last hour: now 0 queued/ }).count()).toBe(1);
  expect(await broken.getByRole('img', { name: /^Latency, last hour: now \d+ ms/ }).count()).toBe(1);
  await expectAccessible('services');
  await screenshots('services');

  // Sign out: the session ends on the server, the cookie goes, the sign-in comes back.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Admin key').waitFor();
  expect(await context.cookies()).toEqual([]);
  const stale = await fetch(`${server.url}/admin/v1/session`, {
    headers: { cookie: `${cookie!.name}=${cookie!.value}` },
  });
  expect(stale.status).toBe(401);

  expect(outside).toEqual([]);
  expect(policyViolations).toEqual([]);
});
