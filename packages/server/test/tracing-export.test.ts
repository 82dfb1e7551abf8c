import { execute, type Caller } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { exportedSpans, parseTraceparent, type ExportedSpan } from './support/otlp-spans';
import { processServers } from './support/process-servers';
import type { ServerProcess } from './support/server-process';
import { secrets, type RawConfig } from './support/test-config';

// The OTLP exporter loads node:http with import(), which jest's CommonJS sandbox refuses: spans are
// exported by the built server in a child process, as in production.

const { configFile, start } = processServers();

// The caller's trace, as the W3C recommendation's examples write it.
const incoming = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7' };
const traceparent = `00-${incoming.traceId}-${incoming.parentId}-01`;
const executeName = 'POST /via/v2/organizations/{orgId}/autoFacilitate/execute/{vsn}';
// What must never leave in a span: parameter values, credentials, URL queries.
const parameterValue = 'parameter-value-not-for-spans';
const upstreamToken = 'upstream-token-not-for-spans';
const serviceQuery = 'service-query-not-for-spans';
const receiverQuery = 'receiver-query-not-for-spans';

/** The `http` service's upstream. */
let upstream: CallbackReceiver;
/** Where callbacks go. */
let receiver: CallbackReceiver;
/** An OTLP/HTTP receiver: records the exporter's JSON requests and answers 200. */
let collector: CallbackReceiver;

beforeEach(async () => {
  [upstream, receiver, collector] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  collector.answer = () => ({ status: 200, headers: { 'content-type': 'application/json' } });
});

afterEach(async () => {
  await Promise.all([upstream.close(), receiver.close(), collector.close()]);
});

/** `acme` with an `http` service `crm` on the upstream, calling back 127.0.0.1. */
function withCrm(raw: RawConfig): void {
  raw.callbacks.allow = ['127.0.0.1/32'];
  raw.organisations.acme.services.crm = {
    kind: 'http',
    url: `${upstream.url}/crm?key=${serviceQuery}`,
    headers: { authorization: `Bearer ${upstreamToken}` },
  };
}

/** Executes `crm` with a callback, in the caller's trace; the triggerUUID. */
async function executeCrm(server: { url: string; acme: Caller }): Promise<string> {
  const answer = await execute(
    server.url,
    'acme',
    'crm',
    server.acme,
    { triggerParameters: { customer: parameterValue }, callbackUrls: [`${receiver.url}/hook?token=${receiverQuery}`] },
    'application/json',
    { traceparent },
  );
  expect(answer.status).toBe(200);
  return answer.json.triggerUUID as string;
}

/** Resolves once the process has logged the trigger's callback as delivered. */
function delivered(server: ServerProcess, triggerUUID: string): Promise<unknown> {
  return server.waitFor(new RegExp(`"triggerUUID":"${triggerUUID}"[^\\n]*"msg":"callback delivered"`));
}

/** Stops the process as an operator does; it exports the spans it holds before it exits. */
async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
}

function only(spans: ExportedSpan[], name: string): ExportedSpan {
  const named = spans.filter((span) => span.name === name);
  expect(named).toHaveLength(1);
  return named[0]!;
}

test('execute, the run, the service call and the callback attempt reach the OTLP receiver as one trace, without secrets', async () => {
  const server = await start(
    await configFile('export', (raw) => {
      withCrm(raw);
      raw.tracing = { otlp: { url: `${collector.url}/v1/traces` } };
    }),
  );
  const triggerUUID = await executeCrm(server);
  await delivered(server, triggerUUID);
  await stop(server);

  expect(collector.received.map((request) => [request.path, request.headers['content-type']])).toContainEqual([
    '/v1/traces',
    'application/json',
  ]);
  const spans = exportedSpans(collector.received);
  const executeSpan = only(spans, executeName);
  const run = only(spans, 'trigger run');
  const serviceCall = only(spans, 'service call');
  const delivery = only(spans, 'callback delivery');
  expect(spans.map((span) => span.traceId)).toEqual(spans.map(() => incoming.traceId));
  expect(executeSpan).toMatchObject({
    parentSpanId: incoming.parentId,
    kind: 2,
    attributes: {
      'http.request.method': 'POST',
      'http.route': '/via/v2/organizations/{orgId}/autoFacilitate/execute/{vsn}',
      'http.response.status_code': 200,
      'autofacilitate.org_id': 'acme',
      'autofacilitate.vsn': 'crm',
      'autofacilitate.trigger_uuid': triggerUUID,
    },
  });
  expect(run).toMatchObject({
    parentSpanId: executeSpan.spanId,
    kind: 1,
    attributes: {
      'autofacilitate.org_id': 'acme',
      'autofacilitate.vsn': 'crm',
      'autofacilitate.trigger_uuid': triggerUUID,
      'autofacilitate.attempt': 1,
      'autofacilitate.trigger_status': 'succeeded',
    },
  });
  expect(serviceCall).toMatchObject({
    parentSpanId: run.spanId,
    kind: 3,
    attributes: { 'http.request.method': 'POST', 'url.full': `${upstream.url}/crm`, 'http.response.status_code': 204 },
  });
  expect(delivery).toMatchObject({
    parentSpanId: executeSpan.spanId,
    kind: 3,
    attributes: {
      'autofacilitate.org_id': 'acme',
      'autofacilitate.trigger_uuid': triggerUUID,
      'autofacilitate.attempt': 1,
      'autofacilitate.delivery_outcome': 'delivered',
      'http.request.method': 'POST',
      'http.response.status_code': 204,
      'url.full': `${receiver.url}/hook`,
    },
  });
  // The upstream and the receiver were called by those client spans.
  expect(parseTraceparent(upstream.received[0]!.headers.traceparent).parentId).toBe(serviceCall.spanId);
  expect(parseTraceparent(receiver.received[0]!.headers.traceparent).parentId).toBe(delivery.spanId);

  const everything = collector.received.map((request) => request.body).join('\n');
  for (const secret of [
    parameterValue,
    upstreamToken,
    serviceQuery,
    receiverQuery,
    server.acme.token!,
    secrets.acmeKey,
    secrets.acmeClient,
    secrets.acmeCallback,
    String(receiver.received[0]!.headers['webhook-signature']),
  ]) {
    expect(everything).not.toContain(secret);
  }
});

test('the trace survives a restart between execute and run; OTEL_EXPORTER_OTLP_ENDPOINT configures the export', async () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
  const api = await start(
    await configFile('restart', (raw) => {
      withCrm(raw);
      raw.workers.enabled = false;
      raw.callbacks.enabled = false;
    }),
    env,
  );
  const triggerUUID = await executeCrm(api);
  await stop(api);
  const executeSpan = only(exportedSpans(collector.received), executeName);
  expect(executeSpan.traceId).toBe(incoming.traceId);
  expect(upstream.received).toEqual([]);

  const worker = await start(await configFile('restart', withCrm), env);
  await delivered(worker, triggerUUID);
  await stop(worker);
  const spans = exportedSpans(collector.received);
  const run = only(spans, 'trigger run');
  expect(run).toMatchObject({ traceId: incoming.traceId, parentSpanId: executeSpan.spanId });
  expect(only(spans, 'callback delivery')).toMatchObject({
    traceId: incoming.traceId,
    parentSpanId: executeSpan.spanId,
  });
  const called = parseTraceparent(upstream.received[0]!.headers.traceparent);
  expect(called).toEqual({ traceId: incoming.traceId, parentId: only(spans, 'service call').spanId });
});

test('tracing off sends nothing: OTEL_SDK_DISABLED=true wins over the endpoint, and the trace is still carried on', async () => {
  const server = await start(await configFile('off', withCrm), {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_SDK_DISABLED: 'true',
  });
  const triggerUUID = await executeCrm(server);
  await delivered(server, triggerUUID);
  await stop(server);
  expect(collector.received).toEqual([]);
  expect(parseTraceparent(upstream.received[0]!.headers.traceparent).traceId).toBe(incoming.traceId);
  expect(parseTraceparent(receiver.received[0]!.headers.traceparent).traceId).toBe(incoming.traceId);
});
