import { execute, type Caller } from './support/api-client';
import { admin } from './support/admin-client';
import { deliveriesSettled, triggerRunning } from './support/server-events';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { secrets } from './support/test-config';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let receiver: CallbackReceiver;
let acme: Caller;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer((raw) => {
    raw.callbacks.allow = ['127.0.0.1/32'];
  });
  acme = await server.acme();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

const key = secrets.acmeAdmin;
type Summary = { triggerUUID: string; vsn: string; status: string };

async function started(vsn: string, body: object = {}): Promise<string> {
  const answer = await execute(server.url, 'acme', vsn, acme, body);
  expect(answer.status).toBe(200);
  return answer.json.triggerUUID as string;
}

async function walk(query: string, limit: number): Promise<Summary[][]> {
  const pages: Summary[][] = [];
  let cursor: string | undefined;
  do {
    const page = await admin(
      server.url,
      'acme',
      `/triggers?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      key,
    );
    expect(page.status).toBe(200);
    pages.push(page.json.triggers);
    cursor = page.json.nextCursor;
  } while (cursor);
  return pages;
}

describe('with triggers of several services and states', () => {
  let echoes: string[];
  let failed: string;
  let running: string;
  let withCallback: string;

  beforeAll(async () => {
    echoes = [];
    for (let index = 0; index < 5; index++) {
      echoes.push(await started('echo', { triggerParameters: { index: String(index) } }));
      await server.finished('acme', echoes.at(-1)!);
    }
    failed = await started('broken');
    await server.finished('acme', failed);
    running = await started('nap');
    await triggerRunning(server.server, 'acme', running);
    receiver.answer = () => ({ status: 500 });
    withCallback = await started('echo', { triggerParameters: { a: 'b' }, callbackUrls: [`${receiver.url}/cb`] });
    await deliveriesSettled(server.server, withCallback);
  });

  test('the list is newest first, filtered by state, service and callback state', async () => {
    const all = await admin(server.url, 'acme', '/triggers', key);
    expect(all.status).toBe(200);
    expect(all.json.triggers.map((trigger: Summary) => trigger.triggerUUID)).toEqual([
      withCallback,
      running,
      failed,
      ...[...echoes].reverse(),
    ]);
    expect(all.json).not.toHaveProperty('nextCursor');
    expect(all.json.triggers[1]).toMatchObject({ vsn: 'nap', status: 'running', attempts: 1 });

    const only = async (query: string) =>
      (await admin(server.url, 'acme', `/triggers?${query}`, key)).json.triggers.map((t: Summary) => t.triggerUUID);
    expect(await only('status=failed')).toEqual([failed]);
    expect(await only('vsn=nap')).toEqual([running]);
    expect(await only('status=succeeded&vsn=echo')).toEqual([withCallback, ...[...echoes].reverse()]);
    expect(await only('callbackState=failed')).toEqual([withCallback]);
    expect(await only('callbackState=delivered')).toEqual([]);
  });

  test('a time range keeps the triggers created within it', async () => {
    const detail = async (uuid: string) => (await admin(server.url, 'acme', `/triggers/${uuid}`, key)).json;
    const from = (await detail(echoes[1]!)).createdAt as string;
    const before = (await detail(failed)).createdAt as string;
    const listed = await admin(
      server.url,
      'acme',
      `/triggers?createdFrom=${encodeURIComponent(from)}&createdBefore=${encodeURIComponent(before)}`,
      key,
    );
    const uuids = listed.json.triggers.map((trigger: Summary) => trigger.triggerUUID);
    expect(uuids).toContain(echoes[1]);
    expect(uuids).not.toContain(echoes[0]);
    expect(uuids).not.toContain(failed);
  });

  test('pages walk every trigger once, and a trigger written during the walk moves none', async () => {
    const before = (await walk('', 100)).flat().map((trigger) => trigger.triggerUUID);
    const pages: Summary[][] = [];
    let cursor: string | undefined;
    do {
      const page = await admin(server.url, 'acme', `/triggers?limit=3${cursor ? `&cursor=${cursor}` : ''}`, key);
      pages.push(page.json.triggers);
      cursor = page.json.nextCursor;
      // Written between two pages: newer than every trigger of the walk, so on none of its pages.
      // Finished before the next page, so that no later test finds it still waiting.
      await server.finished('acme', await started('echo'));
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat().map((trigger) => trigger.triggerUUID)).toEqual(before);
  });

  test("a cursor of the spec's shape that the server did not give starts a page at the place it names", async () => {
    const page = async (cursor: string) => {
      const answer = await admin(server.url, 'acme', `/triggers?limit=2&cursor=${cursor}`, key);
      expect(answer.status).toBe(200);
      return answer.json.triggers.map((trigger: Summary) => trigger.triggerUUID);
    };
    const place = (text: string) => Buffer.from(text).toString('base64url');
    expect(await page(place(echoes[2]!))).toEqual([echoes[1], echoes[0]]);
    expect(await page(place('0'))).toEqual([]);
    const newest = (await admin(server.url, 'acme', '/triggers?limit=2', key)).json.triggers;
    expect(await page(place('g'))).toEqual(newest.map((trigger: Summary) => trigger.triggerUUID));
    // Bytes that are no text at all decode to U+FFFD, a place after every triggerUUID.
    expect(await page('____')).toEqual(newest.map((trigger: Summary) => trigger.triggerUUID));
  });

  test('one trigger: its parameters, output or error, timeline and every callback attempt', async () => {
    const answer = await admin(server.url, 'acme', `/triggers/${withCallback}`, key);
    expect(answer.status).toBe(200);
    const trigger = answer.json;
    expect(trigger).toMatchObject({
      triggerUUID: withCallback,
      vsn: 'echo',
      status: 'succeeded',
      triggerParameters: { a: 'b' },
      callbackUrls: [`${receiver.url}/cb`],
      output: { a: 'b' },
      attempts: 1,
    });
    expect(trigger.deliveries).toHaveLength(1);
    const [delivery] = trigger.deliveries;
    expect(delivery).toMatchObject({ url: `${receiver.url}/cb`, status: 'failed' });
    // The test schedule has three waits: four attempts, each answered 500.
    expect(delivery.attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
      500, 500, 500, 500,
    ]);
    expect(delivery.attempts[0]).toMatchObject({ attempt: 1, error: expect.stringContaining('500') });
    expect(typeof delivery.attempts[0].durationMs).toBe('number');
    expect(trigger.timeline.map((entry: { event: string }) => entry.event)).toEqual([
      'queued',
      'running',
      'succeeded',
      'callback_attempt',
      'callback_attempt',
      'callback_attempt',
      'callback_attempt',
    ]);

    const broken = (await admin(server.url, 'acme', `/triggers/${failed}`, key)).json;
    expect(broken).toMatchObject({ status: 'failed', error: { reason: 'Service failed' }, deliveries: [] });
    expect(broken).not.toHaveProperty('output');
  });

  test('services: concurrency, queue depth and the last hour, for every configured service', async () => {
    const answer = await admin(server.url, 'acme', '/services', key);
    expect(answer.status).toBe(200);
    const byName = Object.fromEntries(answer.json.services.map((service: { vsn: string }) => [service.vsn, service]));
    expect(Object.keys(byName)).toEqual(Object.keys(server.config.organisations.acme!.services).sort());
    expect(byName.nap).toMatchObject({ kind: 'sleep', concurrency: 4, queued: 0, running: 1 });
    expect(byName.broken.lastHour).toEqual({ succeeded: 0, failed: 1, timedOut: 0, successRate: 0 });
    expect(byName.echo.lastHour).toMatchObject({ failed: 0, timedOut: 0, successRate: 1 });
    expect(byName.quick.lastHour).toEqual({ succeeded: 0, failed: 0, timedOut: 0 });
  });

  test("services: the last hour in twelve five-minute samples, this test's triggers in the last", async () => {
    const { services } = (await admin(server.url, 'acme', '/services', key)).json;
    const echo = services.find((service: { vsn: string }) => service.vsn === 'echo');
    const series: { at: string; queued: number; finished: number; latencyMs?: number }[] = echo.lastHourSeries;
    expect(series).toHaveLength(12);
    const starts = series.map((sample) => Date.parse(sample.at));
    expect(starts.slice(1).map((start, index) => start - starts[index]!)).toEqual(Array(11).fill(300_000));
    expect(series.slice(0, 11)).toEqual(
      series.slice(0, 11).map((sample) => ({ at: sample.at, queued: 0, finished: 0 })),
    );
    // The throughput of the last five minutes is what the last hour counts; the latency, their mean.
    expect(series[11]).toEqual({
      at: series[11]!.at,
      queued: 0,
      finished: echo.lastHour.succeeded,
      latencyMs: expect.any(Number),
    });
    expect(series[11]!.latencyMs).toBeGreaterThanOrEqual(0);
    const broken = services.find((service: { vsn: string }) => service.vsn === 'broken');
    expect(broken.lastHourSeries[11]).toMatchObject({ queued: 0, finished: 1 });
    const nap = services.find((service: { vsn: string }) => service.vsn === 'nap');
    // Running is not waiting: a started trigger leaves the queue.
    expect(nap.lastHourSeries.map((sample: { queued: number }) => sample.queued)).toEqual(Array(12).fill(0));
  });

  test('usage: calls per API key and operation, with the key shown only by the start of its hash', async () => {
    const answer = await admin(server.url, 'acme', '/usage', key);
    expect(answer.status).toBe(200);
    const [main] = answer.json.apiKeys;
    expect(main).toMatchObject({
      name: 'main',
      hashPrefix: server.config.organisations.acme!.apiKeys.main!.hash.slice(7, 15),
    });
    expect(
      main.operations.find((o: { operationId: string }) => o.operationId === 'executeService').count,
    ).toBeGreaterThan(8);
    expect(answer.text).not.toContain(secrets.acmeKey);
    expect(answer.text).not.toContain(server.config.organisations.acme!.apiKeys.main!.hash);
  });
});

test.each([
  ['/triggers?limit=0', 'querystring.limit'],
  ['/triggers?limit=101', 'querystring.limit'],
  ['/triggers?status=lost', 'querystring.status'],
  ['/triggers?createdFrom=yesterday', 'querystring.createdFrom'],
  ['/triggers?cursor=not%20a%20cursor', 'querystring.cursor'],
  [`/triggers?cursor=${'A'.repeat(257)}`, 'querystring.cursor'],
  [`/triggers?vsn=${'v'.repeat(129)}`, 'querystring.vsn'],
  [`/triggers/${'a'.repeat(129)}`, 'path.triggerUUID'],
  ['/triggers/00000000-0000-4000-8000-000000000001/deliveries/first/resend', 'path.deliveryId'],
  ['/triggers/00000000-0000-4000-8000-000000000001/deliveries/9007199254740992/resend', 'path.deliveryId'],
])('%s answers 400, naming %s', async (path, scope) => {
  const method = path.endsWith('/resend') ? 'POST' : 'GET';
  const answer = await admin(server.url, 'acme', path, key, { method });
  expect(answer.status).toBe(400);
  expect(answer.json.errors[0].scope).toBe(scope);
});

test('an unknown trigger or delivery answers 404', async () => {
  const missing = await admin(server.url, 'acme', '/triggers/00000000-0000-4000-8000-000000000001', key);
  expect([missing.status, missing.json.errors[0].scope]).toEqual([404, 'path.triggerUUID']);
  const trigger = await started('echo');
  await server.finished('acme', trigger);
  const noDelivery = await admin(server.url, 'acme', `/triggers/${trigger}/deliveries/999999/resend`, key, {
    method: 'POST',
  });
  expect([noDelivery.status, noDelivery.json.errors[0].scope]).toEqual([404, 'path.deliveryId']);
});
