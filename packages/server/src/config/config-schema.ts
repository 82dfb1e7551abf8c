import { durationPattern } from '../time/duration';

/**
 * The JSON Schema of the configuration file. Defaults live here, so a file states only what
 * differs; `additionalProperties: false` everywhere, so a misspelt key stops start-up instead of
 * being ignored.
 */

const positiveInteger = { type: 'integer', minimum: 1 } as const;

/** An organisation or service is named in the API's paths, whose schemas allow 1 to 128 characters. */
export const pathName = { minLength: 1, maxLength: 128 } as const;

// A token bucket: `perSecond` tokens flow in, at most `burst` are kept.
const rate = {
  type: 'object',
  additionalProperties: false,
  required: ['perSecond', 'burst'],
  properties: { perSecond: { type: 'number', exclusiveMinimum: 0 }, burst: positiveInteger },
} as const;

const serviceCommon = {
  timeoutMs: { ...positiveInteger, default: 30000 },
  concurrency: { ...positiveInteger, default: 4 },
  requiredParameters: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, default: [] },
} as const;

function serviceKind(kind: string, properties: Record<string, unknown> = {}, required: string[] = []) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['kind', ...required],
    properties: { kind: { const: kind }, ...serviceCommon, ...properties },
  };
}

const service = {
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [
    serviceKind('echo'),
    serviceKind('sleep', { ms: { type: 'integer', minimum: 0, default: 1000 } }),
    serviceKind('fail', { message: { type: 'string', minLength: 1, default: 'The service failed' } }),
    serviceKind(
      'http',
      {
        url: { type: 'string', pattern: '^https?://' },
        headers: { type: 'object', additionalProperties: { type: 'string' }, default: {} },
      },
      ['url'],
    ),
    serviceKind('module', { module: { type: 'string', minLength: 1 } }, ['module']),
  ],
} as const;

// A key only ever held hashed: API keys, admin keys and operator keys alike.
const hashedKeys = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: { hash: { type: 'string', pattern: '^sha256\\$[0-9a-f]{64}$' } },
  },
} as const;

const organisation = {
  type: 'object',
  additionalProperties: false,
  required: ['clients', 'apiKeys', 'services'],
  properties: {
    clients: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { secretHash: { type: 'string', pattern: '^scrypt\\$' }, executeRate: rate },
      },
    },
    apiKeys: hashedKeys,
    adminKeys: { ...hashedKeys, default: {} },
    services: { type: 'object', propertyNames: pathName, additionalProperties: service },
    callbackSecrets: { type: 'array', items: { type: 'string', pattern: '^whsec_' }, minItems: 1 },
  },
} as const;

function section(properties: Record<string, unknown>) {
  return { type: 'object', additionalProperties: false, default: {}, properties };
}

/** The schema the loader validates a configuration file against. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['organisations'],
  properties: {
    server: section({
      host: { type: 'string', minLength: 1, default: '127.0.0.1' },
      port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
      logLevel: {
        enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        default: 'info',
      },
      logFormat: { enum: ['auto', 'pretty', 'json'], default: 'auto' },
      trustProxy: { type: 'boolean', default: false },
      shutdownGraceMs: { type: 'integer', minimum: 0, default: 10000 },
      requestTimeoutMs: { ...positiveInteger, default: 30000 },
      headersTimeoutMs: { ...positiveInteger, default: 10000 },
      keepAliveTimeoutMs: { ...positiveInteger, default: 72000 },
    }),
    storage: section({
      sqlite: section({
        file: { type: 'string', minLength: 1, default: 'data/autofacilitate.sqlite' },
        synchronous: { enum: ['NORMAL', 'FULL'], default: 'FULL' },
        busyTimeoutMs: { type: 'integer', minimum: 0, default: 5000 },
      }),
      // With a URL (here or in AUTOFACILITATE_POSTGRES_URL), PostgreSQL is the store instead.
      postgres: section({
        url: { type: 'string', pattern: '^postgres(ql)?://' },
        poolSize: { ...positiveInteger, default: 10 },
      }),
    }),
    tokens: section({ ttlSeconds: { ...positiveInteger, default: 3600 } }),
    results: section({
      retentionSeconds: { ...positiveInteger, default: 604800 },
      purgeIntervalSeconds: { ...positiveInteger, default: 60 },
    }),
    workers: section({
      enabled: { type: 'boolean', default: true },
      leaseMs: { type: 'integer', minimum: 100, default: 30000 },
      pollIntervalMs: { type: 'integer', minimum: 10, default: 1000 },
      maxAttempts: { ...positiveInteger, default: 3 },
    }),
    usage: section({ flushIntervalMs: { type: 'integer', minimum: 10, default: 1000 } }),
    limits: section({
      bodyBytes: { ...positiveInteger, default: 1048576 },
      outputBytes: { ...positiveInteger, default: 1048576 },
      // The limits of a trigger default to the spec's (spec/spec-limits.ts), which states them.
      triggerParameters: positiveInteger,
      parameterValueLength: positiveInteger,
      callbackUrls: positiveInteger,
      callbackUrlLength: positiveInteger,
      executeRate: { ...rate, default: { perSecond: 50, burst: 100 } },
      queuedTriggers: { ...positiveInteger, default: 10000 },
      queueWaitSeconds: { type: 'number', exclusiveMinimum: 0, default: 30 },
      failedAuthentications: { ...rate, default: { perSecond: 0.2, burst: 10 } },
    }),
    idempotency: section({ retentionSeconds: { ...positiveInteger, default: 86400 } }),
    callbacks: section({
      enabled: { type: 'boolean', default: true },
      timeoutMs: { type: 'integer', minimum: 10, default: 10000 },
      concurrency: { ...positiveInteger, default: 16 },
      pollIntervalMs: { type: 'integer', minimum: 10, default: 1000 },
      retrySchedule: {
        type: 'array',
        items: { type: 'string', pattern: durationPattern },
        default: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'],
      },
      allow: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    }),
    // With a URL (here or in the standard OTEL_EXPORTER_OTLP_* variables), spans are exported there.
    tracing: section({ otlp: section({ url: { type: 'string', pattern: '^https?://' } }) }),
    organisations: { type: 'object', minProperties: 1, propertyNames: pathName, additionalProperties: organisation },
    operators: { ...hashedKeys, default: {} },
    admin: section({ eventStreamSeconds: { ...positiveInteger, default: 300 } }),
    testing: section({ faultInjection: { type: 'boolean', default: false } }),
  },
} as const;
