import { readFileSync } from 'node:fs';
import type { FastifySchema, HTTPMethods } from 'fastify';
import { parse } from 'yaml';
import { specFile } from './spec-file';

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

// Keywords that document a schema but are not JSON Schema; Ajv's strict mode refuses them.
const documentationOnly = new Set(['example', 'examples', 'xml', 'externalDocs']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dereference(document: Json, value: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => dereference(document, item, seen));
  if (!isObject(value)) return value;
  const ref = value.$ref;
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`Only local references are supported: ${ref}`);
    if (seen.includes(ref)) throw new Error(`Recursive reference: ${ref}`);
    const target = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), document);
    if (target === undefined) throw new Error(`Unresolved reference: ${ref}`);
    return dereference(document, target, [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, dereference(document, item, seen)]));
}

/** An OpenAPI 3.0 schema object as plain JSON Schema (its property names are kept whatever they are). */
export function toJsonSchema(schema: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (documentationOnly.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' && isObject(value)) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [name, toJsonSchema(property as Json)]),
      );
    } else if (['items', 'additionalProperties', 'not'].includes(key) && isObject(value)) {
      result[key] = toJsonSchema(value);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(key) && Array.isArray(value)) {
      result[key] = value.map((item) => toJsonSchema(item as Json));
    } else {
      result[key] = value;
    }
  }
  return result;
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

/** The routes of an OpenAPI document, one per operation, with their schemas. */
export function loadSpec(file: string = specFile): SpecRoute[] {
  const document = parse(readFileSync(file, 'utf8')) as Json;
  const paths = dereference(document, document.paths) as Record<string, Json>;
  const routes: SpecRoute[] = [];
  for (const [path, item] of Object.entries(paths)) {
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
        schema: routeSchema({ ...operation, parameters: [...((item.parameters as Json[]) ?? []), ...((operation.parameters as Json[]) ?? [])] }),
      });
    }
  }
  return routes;
}
