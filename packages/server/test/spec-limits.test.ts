import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config';
import { configSchema, pathName } from '../src/config/config-schema';
import { maxParamLength } from '../src/http/framework-errors';
import { effectiveSpec, loadSpec } from '../src/spec/load-spec';
import { limitKeywords, statedLimits, withLimits } from '../src/spec/spec-limits';

// The spec is the single source of a trigger's limits: the server's defaults are the spec's
// keywords, a configured limit replaces its keyword, and no rule of the server's stays unstated.

test("the limits of a trigger are the spec's keywords: 100 parameters, values of 8192 characters, 5 callback URLs of 2048", async () => {
  expect(statedLimits(await effectiveSpec())).toEqual({
    triggerParameters: 100,
    parameterValueLength: 8192,
    callbackUrls: 5,
    callbackUrlLength: 2048,
  });
});

test('the configuration has no default of its own for them, so the two cannot drift apart', async () => {
  const limits = configSchema.properties.limits.properties;
  for (const name of Object.keys(limitKeywords)) {
    expect(limits).toHaveProperty(name);
    expect(limits[name as keyof typeof limits]).not.toHaveProperty('default');
  }
  const dir = await mkdtemp(join(tmpdir(), 'spec-limits-'));
  try {
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'organisations:\n  acme:\n    clients: {}\n    apiKeys: {}\n    services: {}\n');
    const config = await loadConfig(file, {});
    expect(statedLimits(await effectiveSpec(config.limits))).toEqual(statedLimits(await effectiveSpec()));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a configured limit replaces the spec's keyword in the server's copy, the others and the spec stay as they are", async () => {
  const spec = await effectiveSpec();
  const copy = withLimits(spec, { triggerParameters: 7, callbackUrlLength: 99 });
  expect(statedLimits(copy)).toEqual({
    triggerParameters: 7,
    parameterValueLength: 8192,
    callbackUrls: 5,
    callbackUrlLength: 99,
  });
  expect(statedLimits(spec).triggerParameters).toBe(100);
  // The copy keeps its `$ref`s: it is a spec to publish, not only to validate with.
  expect(JSON.stringify(copy)).toContain('"$ref":"#/components/schemas/urls"');
});

test('the routes check what the configured copy states', async () => {
  const routes = await loadSpec({ parameterValueLength: 3 });
  const execute = routes.find((route) => route.operationId === 'executeService')!;
  const body = execute.schema.body as {
    content: Record<string, { schema: { properties: { triggerParameters: { additionalProperties: unknown } } } }>;
  };
  expect(body.content['application/json']!.schema.properties.triggerParameters.additionalProperties).toEqual({
    type: 'string',
    maxLength: 3,
  });
});

type Bounded = { type: string; maxLength?: number; maximum?: number };

test('every path parameter the spec allows fits in what the router reads, however it is percent-encoded', async () => {
  // A character is at most 4 UTF-8 bytes, each %XX: 12 characters of the URL.
  const worstEncoding = 12;
  const routes = await loadSpec();
  const pathParameters = routes.flatMap((route) =>
    Object.entries((route.schema.params as { properties?: Record<string, Bounded> } | undefined)?.properties ?? {}),
  );
  expect(pathParameters.map(([name]) => name).sort()).toEqual([
    'deliveryId',
    ...Array(8).fill('orgId'),
    ...Array(3).fill('triggerUUID'),
    'vsn',
    'vsn',
  ]);
  for (const [, schema] of pathParameters) {
    if (schema.type === 'integer') {
      // Digits are sent as they are.
      expect(schema.maximum).toBeDefined();
      expect(String(schema.maximum).length).toBeLessThanOrEqual(maxParamLength);
      continue;
    }
    expect(schema.maxLength).toBeDefined();
    expect(schema.maxLength! * worstEncoding).toBeLessThanOrEqual(maxParamLength);
  }
});

test('the names the configuration allows for organisations and services are those the path parameters allow', async () => {
  const routes = await loadSpec();
  const execute = routes.find((route) => route.operationId === 'executeService')!;
  const { orgId, vsn } = (execute.schema.params as { properties: Record<string, object> }).properties;
  expect(orgId).toEqual({ type: 'string', ...pathName });
  expect(vsn).toEqual({ type: 'string', ...pathName });
});
