import { dereference, parse } from '@apidevtools/json-schema-ref-parser';
import { fromSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { FastifySchema, HTTPMethods } from 'fastify';
import { specFile } from './spec-file';
import { withLimits, type TriggerLimits } from './spec-limits';

// `$ref`s are resolved by json-schema-ref-parser and OpenAPI 3.0 schemas become JSON Schema through
// openapi-schema-to-json-schema (nullable, discriminator, documentation keywords): well-kept
// libraries that cover what a converter of our own missed. (json-schema-ref-parser stays on 14.x:
// later lines are ESM only, which jest, running the sources as CommonJS, cannot require.)
// fastify-openapi-glue would bind the routes too, but it does not convert schemas, nor give each
// operation its own encapsulated plugin, as `http/spec-routes.ts` does. What stays here is how an
// operation maps to a route.

/** One operation of the spec, as a Fastify route. */
export interface SpecRoute {
  operationId: string;
  method: HTTPMethods;
  /** The Fastify path: `{name}` becomes `:name`. */
  url: string;
  /** Params, body (per media type) and response schemas, straight from the spec. */
  schema: FastifySchema;
}

type Json = Record<string, unknown>;

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OpenAPI 3.0 schema object as the JSON Schema Fastify's Ajv compiles (its property names are kept whatever they are). */
export function toJsonSchema(schema: Json): Json {
  // The converter stamps draft-04 on its output, a `$schema` Fastify's Ajv 8 does not know.
  const { $schema: _draft, ...converted } = fromSchema(schema, {
    // Ajv's strict mode refuses keywords it does not know, and the converter keeps extensions.
    afterTransform: (node) => Object.fromEntries(Object.entries(node).filter(([key]) => !key.startsWith('x-'))),
  });
  return converted;
}

function parametersSchema(parameters: Json[], location: string): Json | undefined {
  const selected = parameters.filter((parameter) => parameter.in === location);
  if (selected.length === 0) return undefined;
  // Node hands Fastify header names in lower case.
  const nameOf = (parameter: Json) =>
    location === 'header' ? String(parameter.name).toLowerCase() : String(parameter.name);
  return {
    type: 'object',
    properties: Object.fromEntries(
      selected.map((parameter) => [nameOf(parameter), toJsonSchema(parameter.schema as Json)]),
    ),
    required: selected.filter((parameter) => parameter.required).map(nameOf),
  };
}

function contentSchemas(content: unknown): Json | undefined {
  if (!isObject(content)) return undefined;
  const entries = Object.entries(content).filter(([, media]) => isObject(media) && isObject(media.schema));
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([mediaType, media]) => [mediaType, { schema: toJsonSchema((media as Json).schema as Json) }]),
  );
}

function routeSchema(operation: Json): FastifySchema {
  const parameters = (operation.parameters ?? []) as Json[];
  const schema: Json = {};
  const params = parametersSchema(parameters, 'path');
  const querystring = parametersSchema(parameters, 'query');
  const headers = parametersSchema(parameters, 'header');
  if (params) schema.params = params;
  if (querystring) schema.querystring = querystring;
  if (headers) schema.headers = headers;
  const body = contentSchemas((operation.requestBody as Json | undefined)?.content);
  if (body) schema.body = { content: body };
  const response: Json = {};
  for (const [status, answer] of Object.entries((operation.responses ?? {}) as Json)) {
    const content = contentSchemas((answer as Json).content);
    if (content) response[status] = { content };
  }
  if (Object.keys(response).length > 0) schema.response = response;
  return schema as FastifySchema;
}

/**
 * The server's own copy of its OpenAPI document: the spec, stating the configured limits in place
 * of its own, `$ref`s kept. It is what the server enforces, and what `autofacilitate-server spec`
 * prints for the callers and docs of a server configured with other limits.
 */
export async function effectiveSpec(limits: TriggerLimits = {}, file: string = specFile): Promise<Json> {
  return withLimits((await parse(file)) as Json, limits);
}

/** The routes of an OpenAPI document (the effective spec), one per operation, with their schemas. */
export async function loadSpec(limits: TriggerLimits = {}, file: string = specFile): Promise<SpecRoute[]> {
  const document = (await dereference(await effectiveSpec(limits, file))) as Json;
  const routes: SpecRoute[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of methods) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      if (typeof operation.operationId !== 'string') {
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      }
      routes.push({
        operationId: operation.operationId,
        method: method.toUpperCase() as HTTPMethods,
        url: path.replace(/\{([^}]+)\}/g, ':$1'),
        schema: routeSchema({
          ...operation,
          parameters: [...((item.parameters as Json[]) ?? []), ...((operation.parameters as Json[]) ?? [])],
        }),
      });
    }
  }
  return routes;
}
