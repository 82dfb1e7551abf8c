import Fastify from 'fastify';
import { specRoutes, type OperationPlugin } from '../src/http/spec-routes';
import { loadSpec, toJsonSchema, type SpecRoute } from '../src/spec/load-spec';

let routes: SpecRoute[];
beforeAll(async () => {
  routes = await loadSpec();
});

test("every operation of the spec becomes a route, with the spec's schemas", () => {
  expect(routes.map(({ operationId, method, url }) => ({ operationId, method, url }))).toEqual([
    { operationId: 'getAccessToken', method: 'POST', url: '/tokenservice/oauth2/access_token' },
    { operationId: 'executeService', method: 'POST', url: '/via/v2/organizations/:orgId/autoFacilitate/execute/:vsn' },
    {
      operationId: 'getTriggerResult',
      method: 'GET',
      url: '/via/v2/organizations/:orgId/autoFacilitate/result/:vsn/triggerUUID/:triggerUUID',
    },
    { operationId: 'getMetrics', method: 'GET', url: '/metrics' },
    { operationId: 'getHealth', method: 'GET', url: '/healthz' },
    { operationId: 'listAdminTriggers', method: 'GET', url: '/admin/v1/organizations/:orgId/triggers' },
    { operationId: 'getAdminTrigger', method: 'GET', url: '/admin/v1/organizations/:orgId/triggers/:triggerUUID' },
    {
      operationId: 'resendAdminDelivery',
      method: 'POST',
      url: '/admin/v1/organizations/:orgId/triggers/:triggerUUID/deliveries/:deliveryId/resend',
    },
    { operationId: 'listAdminServices', method: 'GET', url: '/admin/v1/organizations/:orgId/services' },
    { operationId: 'getAdminUsage', method: 'GET', url: '/admin/v1/organizations/:orgId/usage' },
    { operationId: 'streamAdminEvents', method: 'GET', url: '/admin/v1/organizations/:orgId/events' },
    { operationId: 'getAdminSession', method: 'GET', url: '/admin/v1/session' },
    { operationId: 'signInAdminSession', method: 'POST', url: '/admin/v1/session' },
    { operationId: 'signOutAdminSession', method: 'DELETE', url: '/admin/v1/session' },
  ]);
  const execute = routes.find((route) => route.operationId === 'executeService')!;
  const body = execute.schema.body as { content: Record<string, { schema: unknown }> };
  expect(Object.keys(body.content)).toEqual(['application/json', 'application/xml']);
  // One schema for both: the XML is read into the object the JSON carries.
  expect(body.content['application/xml']!.schema).toEqual(body.content['application/json']!.schema);
  expect(execute.schema.params).toEqual({
    type: 'object',
    properties: {
      orgId: { type: 'string', minLength: 1, maxLength: 128 },
      vsn: { type: 'string', minLength: 1, maxLength: 128 },
    },
    required: ['orgId', 'vsn'],
  });
  // The Idempotency-Key header is checked by the spec's schema too (Node hands header names in lower case);
  // traceparent and tracestate are any string, since a malformed one is ignored, never refused.
  expect(execute.schema.headers).toEqual({
    type: 'object',
    properties: {
      'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 },
      traceparent: { type: 'string' },
      tracestate: { type: 'string' },
    },
    required: [],
  });
});

test('documentation keywords go, properties named like them stay', () => {
  expect(
    toJsonSchema({
      type: 'object',
      description: 'd',
      example: { a: 1 },
      xml: { name: 'root' },
      'x-autofacilitate-extension': true,
      properties: {
        example: { type: 'string', example: 'e' },
        xml: { type: 'string' },
        'x-trace': { type: 'string', 'x-note': 'n' },
      },
      additionalProperties: { type: 'string', example: 'v' },
    }),
  ).toEqual({
    type: 'object',
    description: 'd',
    properties: { example: { type: 'string' }, xml: { type: 'string' }, 'x-trace': { type: 'string' } },
    additionalProperties: { type: 'string' },
  });
});

test("OpenAPI 3.0's own keywords become JSON Schema: nullable, discriminator", () => {
  expect(
    toJsonSchema({
      type: 'object',
      discriminator: { propertyName: 'kind' },
      properties: { kind: { type: 'string', enum: ['a', 'b'], nullable: true } },
    }),
  ).toEqual({ type: 'object', properties: { kind: { type: ['string', 'null'], enum: ['a', 'b', null] } } });
});

describe('binding', () => {
  const noop: OperationPlugin = async () => undefined;

  test('an operation of the spec without an implementation stops start-up', async () => {
    const app = Fastify();
    await expect(
      app.register(specRoutes, { routes, operations: { getAccessToken: noop, executeService: noop } }),
    ).rejects.toThrow('Operations of the spec without an implementation: getTriggerResult, getMetrics, getHealth');
    await app.close();
  });

  test('an implementation of an operation the spec lacks stops start-up', async () => {
    const app = Fastify();
    const operations = {
      getAccessToken: noop,
      executeService: noop,
      getTriggerResult: noop,
      getMetrics: noop,
      getHealth: noop,
      listAdminTriggers: noop,
      getAdminTrigger: noop,
      resendAdminDelivery: noop,
      listAdminServices: noop,
      getAdminUsage: noop,
      streamAdminEvents: noop,
      signInAdminSession: noop,
      getAdminSession: noop,
      signOutAdminSession: noop,
      deleteTrigger: noop,
    };
    await expect(app.register(specRoutes, { routes, operations })).rejects.toThrow(
      'Implementations of operations the spec lacks: deleteTrigger',
    );
    await app.close();
  });
});
