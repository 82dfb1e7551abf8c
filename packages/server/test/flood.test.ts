import { execute, type Answer, type Caller } from './support/api-client';
import { startTestServer, type TestServer } from './support/test-server';

/** Sends `count` executes with at most `inFlight` at once, and keeps every answer. */
async function flood(
  server: TestServer,
  orgId: string,
  caller: Caller,
  count: number,
  inFlight: number,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      answers.push(await execute(server.url, orgId, 'echo', caller, { triggerParameters: { n: String(next) } }));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return answers;
}

describe('a flood of executes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer((raw) => {
      raw.workers.enabled = false;
      raw.limits = { executeRate: { perSecond: 50, burst: 100 } };
    });
  });

  afterAll(() => server.close());

  test("one client's 2,000 executes: its excess is 429 with Retry-After, while another organisation's client meets no error", async () => {
    const [acme, globex] = await Promise.all([server.acme(), server.globex()]);
    const started = Date.now();
    const [flooded, calm] = await Promise.all([
      flood(server, 'acme', acme, 2000, 32),
      flood(server, 'globex', globex, 60, 2),
    ]);
    const seconds = (Date.now() - started) / 1000;

    const accepted = flooded.filter((answer) => answer.status === 200);
    const refused = flooded.filter((answer) => answer.status === 429);
    console.log(
      `Flood: ${flooded.length} executes in ${seconds.toFixed(1)} s, ${accepted.length} accepted, ${refused.length} refused with 429; the other organisation: ${calm.filter((answer) => answer.status === 200).length} of ${calm.length} accepted`,
    );
    expect(accepted.length + refused.length).toBe(2000);
    // The bucket: its burst, and what flowed in while the flood lasted.
    expect(accepted.length).toBeGreaterThanOrEqual(100);
    expect(accepted.length).toBeLessThanOrEqual(100 + Math.ceil(50 * seconds) + 1);
    for (const answer of refused) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('x-request-id')).toEqual(expect.any(String));
      expect(answer.json).toEqual({
        code: '429',
        message: expect.any(String),
        errors: [{ scope: 'global', reason: 'Rate limit exceeded', message: expect.stringContaining('acme-client') }],
      });
    }
    expect(calm.map((answer) => answer.status)).toEqual(Array(60).fill(200));
    // 2,000 real requests: tens of seconds on a loaded 2-core machine.
  }, 180_000);
});
