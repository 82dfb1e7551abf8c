import type { FastifyBaseLogger } from 'fastify';
import type { ServiceConfig } from '../src/config/server-config';
import type { Service } from '../src/services/service';
import type { TriggerRecord } from '../src/storage/trigger-types';
import { runTrigger } from '../src/triggers/run-trigger';
import { VirtualClock } from './support/virtual-clock';

const log = { info() {}, warn() {}, error() {}, debug() {}, child: () => log } as unknown as FastifyBaseLogger;

const trigger: TriggerRecord = {
  triggerUUID: '11111111-2222-4333-8444-555555555555',
  orgId: 'acme',
  vsn: 'custom',
  triggerParameters: { key: 'value' },
  callbackUrls: [],
  requestId: 'r1',
  createdAt: 0,
  status: 'running',
  attempts: 1,
};

function service(run: Service['run'], timeoutMs = 1000): Service {
  const config: ServiceConfig = { kind: 'echo', timeoutMs, concurrency: 1, requiredParameters: [] };
  return { orgId: 'acme', vsn: 'custom', config, run, check: () => [] };
}

const options = () => ({ stop: new AbortController().signal, log, outputBytes: 64, clock: new VirtualClock() });

test('the output is what the service resolved to, as JSON', async () => {
  const when = new Date('2026-01-01T00:00:00.000Z');
  expect(
    await runTrigger(
      service(async () => ({ when, n: 1 })),
      trigger,
      options(),
    ),
  ).toEqual({
    status: 'succeeded',
    output: { when: '2026-01-01T00:00:00.000Z', n: 1 },
  });
});

test('the service gets the parameters and its context', async () => {
  let seen: unknown;
  await runTrigger(
    service(async (parameters, context) => {
      seen = {
        parameters,
        triggerUUID: context.triggerUUID,
        attempt: context.attempt,
        aborted: context.signal.aborted,
      };
    }),
    trigger,
    options(),
  );
  expect(seen).toEqual({ parameters: { key: 'value' }, triggerUUID: trigger.triggerUUID, attempt: 1, aborted: false });
});

test.each([
  ['undefined', undefined],
  ['null', null],
])('%s is no output', async (_name, output) => {
  expect(
    await runTrigger(
      service(async () => output),
      trigger,
      options(),
    ),
  ).toEqual({ status: 'succeeded' });
});

test('an output that is not JSON fails the trigger', async () => {
  const outcome = await runTrigger(
    service(async () => ({ big: 1n })),
    trigger,
    options(),
  );
  expect(outcome).toMatchObject({
    status: 'failed',
    error: { reason: 'Invalid output', message: expect.stringContaining('not JSON') },
  });
});

test('an output over the limit fails the trigger', async () => {
  const outcome = await runTrigger(
    service(async () => 'x'.repeat(100)),
    trigger,
    options(),
  );
  expect(outcome).toMatchObject({
    status: 'failed',
    error: { reason: 'Invalid output', message: 'The output is larger than 64 bytes' },
  });
});

test('a service that throws at once, or throws what is not an Error, fails the trigger', async () => {
  const throwsAtOnce = service((() => {
    throw new Error('bad input');
  }) as Service['run']);
  expect(await runTrigger(throwsAtOnce, trigger, options())).toMatchObject({
    status: 'failed',
    error: { message: 'bad input' },
  });
  expect(
    await runTrigger(
      service(() => Promise.reject('plain string')),
      trigger,
      options(),
    ),
  ).toMatchObject({
    status: 'failed',
    error: { message: 'plain string' },
  });
});

test('a run over its timeout is timed_out and told so through its signal', async () => {
  const clock = new VirtualClock();
  let signal: AbortSignal | undefined;
  let ended = false;
  const run = runTrigger(
    service(async (_parameters, context) => {
      signal = context.signal;
      return new Promise(() => undefined);
    }, 20),
    trigger,
    { ...options(), clock },
  ).finally(() => (ended = true));
  await clock.advance(19);
  expect(ended).toBe(false);
  await clock.advance(1);
  const outcome = await run;
  expect(outcome).toEqual({
    status: 'timed_out',
    error: { scope: 'service', reason: 'Timed out', message: 'The service did not finish within 20 ms' },
  });
  expect(signal?.aborted).toBe(true);
});

test('a run stopped by its worker has no outcome, even if the service then fails', async () => {
  const stop = new AbortController();
  const pending = runTrigger(
    service(
      (_parameters, context) =>
        new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    ),
    trigger,
    { ...options(), stop: stop.signal },
  );
  stop.abort(new Error('the server is stopping'));
  expect(await pending).toBeUndefined();
});
