// The built CLI's admin commands against the real server: triggers, trigger, deliveries resend and
// services, as a user runs them, with --json and without.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { AutoFacilitate } from '@autofacilitate/sdk';
import { nodeBinary, workspaceRoot } from '../src/paths';
import { startAcmeServer, type AcmeServer } from './support/acme-server';

const cli = join(workspaceRoot, 'packages/cli/dist/cli.js');

let acme: AcmeServer;
let baseUrl: string;
let client: AutoFacilitate;
// The admin key, once the server has made it.
const withKey: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  acme = await startAcmeServer({
    name: 'cli-admin',
    clientId: 'cli-client',
    apiKeyName: 'cli',
    admin: true,
    services: { echo: { kind: 'echo' }, broken: { kind: 'fail', message: 'upstream answered 503' } },
  });
  baseUrl = acme.baseUrl;
  withKey.AUTOFACILITATE_ADMIN_KEY = acme.adminKey;
  const { clientSecret, apiKey } = acme;
  client = new AutoFacilitate({ orgId: 'acme', baseUrl, clientId: 'cli-client', clientSecret, apiKey });
});

afterAll(() => acme?.close());

function autofacilitate(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const settings = {
    PATH: process.env.PATH,
    AUTOFACILITATE_BASE_URL: baseUrl,
    AUTOFACILITATE_ORG_ID: 'acme',
    XDG_CONFIG_HOME: '/nonexistent',
    ...env,
  };
  return new Promise((resolveRun) =>
    execFile(nodeBinary, [cli, ...args], { env: settings }, (error, stdout, stderr) =>
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

test('triggers lists and filters, trigger shows the timeline, services the load, each also as JSON', async () => {
  const echoed = await client.executeAndWait('echo', { greeting: 'hello' }, { pollIntervalMs: 20 });
  const failed = await client.executeAndWait('broken', {}, { pollIntervalMs: 20 });

  const listed = await autofacilitate(withKey, 'triggers');
  expect(listed).toMatchObject({ code: 0, stderr: '' });
  expect(listed.stdout.trim().split('\n')).toEqual([
    `STATUS     VSN              TRIGGERUUID${' '.repeat(27)}CREATEDAT`,
    expect.stringMatching(new RegExp(`^failed +broken +${failed.triggerUUID}  \\d{4}-`)),
    expect.stringMatching(new RegExp(`^succeeded +echo +${echoed.triggerUUID}  \\d{4}-`)),
  ]);
  const onlyFailed = await autofacilitate(withKey, 'triggers', '--status', 'failed', '--json');
  expect(JSON.parse(onlyFailed.stdout)).toEqual([expect.objectContaining({ triggerUUID: failed.triggerUUID })]);
  const one = await autofacilitate(withKey, 'triggers', '--limit', '1', '--json');
  expect(JSON.parse(one.stdout)).toHaveLength(1);

  const shown = await autofacilitate(withKey, 'trigger', echoed.triggerUUID);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain(`succeeded  echo  ${echoed.triggerUUID}`);
  expect(shown.stdout).toContain('parameters: {"greeting":"hello"}');
  expect(shown.stdout).toMatch(/timeline:\n {2}\S+ {2}queued\n {2}\S+ {2}running\n {2}\S+ {2}succeeded\n/);
  const detail = JSON.parse((await autofacilitate(withKey, 'trigger', failed.triggerUUID, '--json')).stdout);
  expect(detail).toMatchObject({ status: 'failed', error: { reason: 'Service failed' } });

  const services = await autofacilitate(withKey, 'services');
  expect(services.stdout).toMatch(/^broken +fail +concurrency 4 {2}queued 0 {2}running 0 {2}last hour 0% of 1$/m);
  expect(JSON.parse((await autofacilitate(withKey, 'services', '--json')).stdout)).toHaveLength(2);
});

test('deliveries resend sends a callback again under its webhook-id', async () => {
  const { triggerUUID } = await client.execute(
    'echo',
    {},
    { callbackUrls: ['https://mycompany.com/callbacks/id=123'] },
  );
  await client.waitForResult('echo', triggerUUID, { pollIntervalMs: 20 });
  const [delivery] = JSON.parse((await autofacilitate(withKey, 'trigger', triggerUUID, '--json')).stdout).deliveries;
  const resent = await autofacilitate(withKey, 'deliveries', 'resend', triggerUUID, String(delivery.deliveryId));
  expect(resent).toMatchObject({ code: 0, stderr: '' });
  expect(resent.stdout.trim()).toBe(
    `Delivery ${delivery.deliveryId} of ${triggerUUID} is due again (webhook-id ${delivery.webhookId})`,
  );
});

test('without an admin key, with a wrong one, and for an unknown trigger: clear messages and exit codes', async () => {
  const missing = await autofacilitate({}, 'services');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('--admin-key (or AUTOFACILITATE_ADMIN_KEY');
  const wrong = await autofacilitate({ AUTOFACILITATE_ADMIN_KEY: 'wrong' }, 'services');
  expect(wrong.code).toBe(3);
  expect(wrong.stderr).toContain('The admin key was refused: The admin key is unknown');
  const unknown = await autofacilitate(withKey, 'trigger', '00000000-0000-4000-8000-000000000001');
  expect(unknown.code).toBe(4);
  // No header above nothing.
  const none = await autofacilitate(withKey, 'triggers', '--vsn', 'no-such-service');
  expect(none).toMatchObject({ code: 0, stdout: 'No triggers\n' });
  const badStatus = await autofacilitate(withKey, 'triggers', '--status', 'lost');
  expect(badStatus.code).toBe(2);
  expect(badStatus.stderr).toContain('--status must be one of queued, running, succeeded, failed, timed_out');
});
