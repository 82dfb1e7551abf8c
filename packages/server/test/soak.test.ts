import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SqliteStorage } from '../src';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { execute, tokenFor, type Caller } from './support/api-client';
import { removeBuiltServer, startServerProcess, type ServerProcess } from './support/server-process';
import { rawTestConfig, secrets, testEnv } from './support/test-config';

const cycles = 20;
const triggersPerCycle = 8;
const finalStates = ['succeeded', 'failed', 'timed_out'];

let dir: string;
let receiver: CallbackReceiver;
let running: (ServerProcess & { url: string }) | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-soak-'));
  receiver = await startReceiver();
});

afterAll(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  await running?.exited;
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
  await removeBuiltServer();
});

async function start(file: string): Promise<ServerProcess & { url: string; acme: Caller }> {
  running = await startServerProcess(file, testEnv);
  return {
    ...running,
    acme: { token: await tokenFor(running.url, 'acme-client', secrets.acmeClient), apiKey: secrets.acmeKey },
  };
}

test(`durability soak: ${cycles} kills (-9) while triggers run and callbacks are pending lose no acknowledged trigger and no callback`, async () => {
  const raw = rawTestConfig(dir);
  // The start is known by its 'Server listening' line, logged at info.
  raw.server.logLevel = 'info';
  raw.callbacks = {
    allow: ['127.0.0.1/32'],
    timeoutMs: 1000,
    pollIntervalMs: 50,
    retrySchedule: Array(10).fill('50ms'),
  };
  const file = join(dir, 'soak.yaml');
  await writeFile(file, stringify(raw));
  // Each URL's first callback is refused, so every callback is retried at least once.
  receiver.answer = (_callback, index) => ({ status: index === 0 ? 503 : 204 });

  const accepted = new Map<string, string>();
  let sent = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const server = await start(file);
    const heardBefore = receiver.received.length;
    const answers = await Promise.all(
      Array.from({ length: triggersPerCycle }, (_, index) => {
        const path = `/cb/${sent++}`;
        // Half finish at once (their callbacks go out), half are still running when the process dies.
        const [vsn, triggerParameters] = index % 2 === 0 ? ['echo', { path }] : ['nap', { ms: '300' }];
        return execute(server.url, 'acme', vsn, server.acme, {
          triggerParameters,
          callbackUrls: [`${receiver.url}${path}`],
        }).then((answer) => ({ path, answer }));
      }),
    );
    for (const { path, answer } of answers)
      if (answer.status === 200) accepted.set(answer.json.triggerUUID as string, path);
    // Killed once callbacks are on their way: some refused and pending, others not yet tried.
    await receiver.waitFor(heardBefore + 1);
    server.child.kill('SIGKILL');
    await server.exited;
  }

  // One last start delivers what is left.
  const last = await start(file);
  for (const path of accepted.values()) await receiver.waitFor(2, path);
  last.child.kill('SIGTERM');
  await last.exited;

  const store = new SqliteStorage({ file: join(dir, 'autofacilitate.sqlite') });
  let finished = 0;
  try {
    for (const triggerUUID of accepted.keys()) {
      const trigger = await store.triggers.findTrigger('acme', triggerUUID);
      expect(finalStates).toContain(trigger?.status);
      finished += 1;
    }
  } finally {
    await store.close();
  }
  let delivered = 0;
  let duplicates = 0;
  for (const path of accepted.values()) {
    const callbacks = receiver.received.filter((callback) => callback.path === path);
    // Every attempt at one URL carried the one webhook-id of its trigger's callback.
    expect(new Set(callbacks.map((callback) => callback.headers['webhook-id'])).size).toBe(1);
    const acknowledged = callbacks.filter((_callback, index) => index > 0).length;
    if (acknowledged > 0) delivered += 1;
    duplicates += acknowledged - 1;
  }
  console.log(
    `Soak: ${cycles} kills; ${sent} executes sent, ${accepted.size} accepted, ${finished} finished, ${delivered} callbacks delivered, ${duplicates} delivered more than once`,
  );
  expect(accepted.size).toBeGreaterThan(cycles);
  expect(finished).toBe(accepted.size);
  expect(delivered).toBe(accepted.size);
}, 600_000);
