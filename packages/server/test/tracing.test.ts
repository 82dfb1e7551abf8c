import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, resolveConfig, type AutoFacilitateServer } from '../src';
import { execute, tokenFor, type Caller } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { parseTraceparent } from './support/otlp-spans';
import { deliveriesSettled, triggerFinished } from './support/server-events';
import { rawTestConfig, secrets, testConfig, testEnv, type RawConfig } from './support/test-config';
import { noNames } from './support/test-server';

// The caller's trace, as the W3C recommendation's examples write it.
const incoming = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7' };
const traceparent = `00-${incoming.traceId}-${incoming.parentId}-01`;

let dir: string;
/** The `http` service's upstream. */
let upstream: CallbackReceiver;
/** Where callbacks go. */
let receiver: CallbackReceiver;
/** Where an exporter would send spans, were one configured. */
let collector: CallbackReceiver;
const running: AutoFacilitateServer[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-tracing-'));
  [upstream, receiver, collector] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await Promise.all([upstream.close(), receiver.close(), collector.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** Tracing exported to the collector (the export itself is tested on the built server: tracing-export.test.ts). */
function exported(raw: RawConfig): void {
  raw.tracing = { otlp: { url: `${collector.url}/v1/traces` } };
}

/** A server of `acme` with an `http` service `crm` on the upstream, that may call back 127.0.0.1. */
async function start(adjust: (raw: RawConfig) => void = () => undefined) {
  const config = await testConfig(dir, (raw) => {
    raw.callbacks.allow = ['127.0.0.1/32'];
    raw.organisations.acme.services.crm = {
      kind: 'http',
      url: `${upstream.url}/crm`,
    };
    adjust(raw);
  });
  const server = await createServer(config, { resolver: noNames });
  running.push(server);
  const url = await server.listen();
  const acme: Caller = { token: await tokenFor(url, 'acme-client', secrets.acmeClient), apiKey: secrets.acmeKey };
  /** Executes `crm`, asking for a callback; the triggerUUID. */
  const executeCrm = async (headers: Record<string, string> = {}): Promise<string> => {
    const answer = await execute(
      url,
      'acme',
      'crm',
      acme,
      {
        triggerParameters: { customer: 'C-1' },
        callbackUrls: [`${receiver.url}/hook`],
      },
      'application/json',
      headers,
    );
    expect(answer.status).toBe(200);
    return answer.json.triggerUUID as string;
  };
  return { server, executeCrm };
}

test("without an exporter the service and the callback receiver still join the caller's trace, and nothing is sent", async () => {
  const { server, executeCrm } = await start();
  expect(server.tracing.recording).toBe(false);
  const triggerUUID = await executeCrm({ traceparent, tracestate: 'vendor=opaque' });
  await deliveriesSettled(server, triggerUUID);

  const [call] = await upstream.waitFor(1);
  const [callback] = await receiver.waitFor(1);
  const called = parseTraceparent(call!.headers.traceparent);
  const calledBack = parseTraceparent(callback!.headers.traceparent);
  expect(called.traceId).toBe(incoming.traceId);
  expect(calledBack.traceId).toBe(incoming.traceId);
  // Each a span of its own, child of this server's, not the caller's span passed through.
  expect(new Set([incoming.parentId, called.parentId, calledBack.parentId]).size).toBe(3);
  expect(call!.headers.traceparent).toMatch(/-01$/);
  expect(call!.headers.tracestate).toBe('vendor=opaque');
  expect(callback!.headers.tracestate).toBe('vendor=opaque');

  await server.close();
  expect(collector.received).toEqual([]);
});

test('without a traceparent, each execute starts a trace of its own', async () => {
  const { server, executeCrm } = await start();
  await triggerFinished(server, 'acme', await executeCrm());
  await triggerFinished(server, 'acme', await executeCrm());
  const calls = await upstream.waitFor(2);
  const traceIds = calls.map((call) => parseTraceparent(call.headers.traceparent).traceId);
  expect(new Set(traceIds).size).toBe(2);
  expect(traceIds).not.toContain(incoming.traceId);
  expect(calls.map((call) => call.headers.tracestate)).toEqual([undefined, undefined]);
});

test('a malformed traceparent is ignored, its tracestate with it: the execute is taken and starts a new trace', async () => {
  const { server, executeCrm } = await start();
  const malformed = [
    'not a traceparent',
    `00-${'0'.repeat(32)}-${incoming.parentId}-01`,
    `00-${incoming.traceId}-${'0'.repeat(16)}-01`,
    `00-${incoming.traceId.toUpperCase()}-${incoming.parentId}-01`,
    `00-${incoming.traceId}-${incoming.parentId}-01-more`,
    `ff-${incoming.traceId}-${incoming.parentId}-01`,
  ];
  for (const header of malformed) {
    await triggerFinished(server, 'acme', await executeCrm({ traceparent: header, tracestate: 'vendor=opaque' }));
  }
  const calls = await upstream.waitFor(malformed.length);
  for (const call of calls) {
    expect(parseTraceparent(call.headers.traceparent).traceId).not.toBe(incoming.traceId);
    expect(call.headers.tracestate).toBeUndefined();
  }
});

describe('the OTLP URL from the standard environment variables', () => {
  const resolve = (env: NodeJS.ProcessEnv, adjust: (raw: RawConfig) => void = () => undefined) => {
    const raw = rawTestConfig(dir);
    adjust(raw);
    return resolveConfig(raw, { origin: 'test configuration', baseDir: dir, env: { ...testEnv, ...env } });
  };

  test('none: tracing is off unless the file has a URL', async () => {
    expect((await resolve({})).tracing.otlp.url).toBeUndefined();
    expect((await resolve({}, exported)).tracing.otlp.url).toBe(`${collector.url}/v1/traces`);
  });

  test('OTEL_EXPORTER_OTLP_ENDPOINT is the base URL, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT the URL itself, and either wins over the file', async () => {
    expect((await resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, exported)).tracing.otlp.url).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      (
        await resolve({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
        })
      ).tracing.otlp.url,
    ).toBe('https://traces.example/otlp');
  });

  test('OTEL_SDK_DISABLED=true switches tracing off', async () => {
    const config = await resolve(
      { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
      exported,
    );
    expect(config.tracing.otlp.url).toBeUndefined();
  });

  test('a URL that is not http(s) stops start-up with the variable named', async () => {
    await expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).rejects.toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL',
    );
    await expect(resolve({}, (raw) => (raw.tracing = { otlp: { url: 'grpc://collector:4317' } }))).rejects.toThrow(
      'tracing.otlp.url: must be an http:// or https:// URL',
    );
  });
});
