/** The service kinds a `vsn` can name. */
export type ServiceKind = 'echo' | 'sleep' | 'fail' | 'http' | 'module';

/** What every service declares. */
export interface ServiceCommonConfig {
  /** A run that takes longer ends as `timed_out`. */
  timeoutMs: number;
  /** At most this many triggers of the service run at once, across every process sharing the store. */
  concurrency: number;
  /** `triggerParameters` a trigger must carry; execute answers 422 without them. */
  requiredParameters: string[];
}

/** Answers with its `triggerParameters` as output. */
export interface EchoServiceConfig extends ServiceCommonConfig {
  kind: 'echo';
}

/** Waits, then finishes with no output; a trigger may ask for its own `ms`. */
export interface SleepServiceConfig extends ServiceCommonConfig {
  kind: 'sleep';
  ms: number;
}

/** Always fails, with `message`. */
export interface FailServiceConfig extends ServiceCommonConfig {
  kind: 'fail';
  message: string;
}

/** POSTs the `triggerParameters` as JSON to `url`; the JSON answer is the output. */
export interface HttpServiceConfig extends ServiceCommonConfig {
  kind: 'http';
  url: string;
  headers: Record<string, string>;
}

/** Runs `run(triggerParameters, context)` exported by a JavaScript or TypeScript module. */
export interface ModuleServiceConfig extends ServiceCommonConfig {
  kind: 'module';
  /** Absolute path (relative paths in the file are resolved against the file's folder). */
  module: string;
}

/** One service of an organisation. */
export type ServiceConfig =
  EchoServiceConfig | SleepServiceConfig | FailServiceConfig | HttpServiceConfig | ModuleServiceConfig;

/** A token bucket: `perSecond` tokens flow in (fractions allowed), at most `burst` are kept. */
export interface RateConfig {
  perSecond: number;
  burst: number;
}

/** An OAuth client; its secret is only ever held hashed. */
export interface ClientConfig {
  secretHash: string;
  /** This client's own execute rate, in place of `limits.executeRate`. */
  executeRate?: RateConfig;
}

/** An API key; only its hash is held. */
export interface ApiKeyConfig {
  hash: string;
}

/** A customer organisation: who may call, with which keys, and which services it has. */
export interface OrganisationConfig {
  clients: Record<string, ClientConfig>;
  apiKeys: Record<string, ApiKeyConfig>;
  services: Record<string, ServiceConfig>;
  /** Admin keys: each reaches this organisation's admin operations, and no other organisation's. */
  adminKeys: Record<string, ApiKeyConfig>;
  /**
   * The `whsec_` secrets that sign the organisation's callbacks; every one of them signs, so a
   * secret is rotated by adding the new one, then removing the old one once receivers moved on.
   * Without one, execute refuses `callbackUrls`.
   */
  callbackSecrets?: string[];
}

/** Where spans go; without a URL they are not recorded, and only the trace context is carried on. */
export interface TracingConfig {
  otlp: {
    /** The OTLP/HTTP traces URL, e.g. `http://127.0.0.1:4318/v1/traces`. */
    url?: string;
  };
}

/** The whole configuration, with every default filled in and every path absolute. */
export interface ServerConfig {
  server: {
    host: string;
    port: number;
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    /** `json` lines, `pretty` lines for people, or `auto`: pretty when standard output is a terminal. */
    logFormat: 'auto' | 'pretty' | 'json';
    trustProxy: boolean;
    /** How long SIGTERM waits for running triggers before giving them back to the queue. */
    shutdownGraceMs: number;
    /** How long a client may take to send a whole request, body included (408 after). */
    requestTimeoutMs: number;
    /** How long a client may take to send a request's headers. */
    headersTimeoutMs: number;
    /** How long an idle keep-alive connection is kept open. */
    keepAliveTimeoutMs: number;
  };
  storage: {
    sqlite: {
      file: string;
      synchronous: 'NORMAL' | 'FULL';
      busyTimeoutMs: number;
    };
    postgres: {
      /** `postgres://…`: PostgreSQL is the store; SQLite when absent. */
      url?: string;
      /** The most connections each process opens. */
      poolSize: number;
    };
  };
  tokens: { ttlSeconds: number };
  results: { retentionSeconds: number; purgeIntervalSeconds: number };
  workers: { enabled: boolean; leaseMs: number; pollIntervalMs: number; maxAttempts: number };
  usage: { flushIntervalMs: number };
  limits: {
    bodyBytes: number;
    outputBytes: number;
    /** The most `triggerParameters` one trigger may have; the spec's when absent. */
    triggerParameters?: number;
    /** The longest parameter value, in characters; the spec's when absent. */
    parameterValueLength?: number;
    /** The most `callbackUrls` one trigger may have; the spec's when absent. */
    callbackUrls?: number;
    /** The longest callback URL, in characters; the spec's when absent. */
    callbackUrlLength?: number;
    /** How fast each client may execute (per process), unless the client has its own. */
    executeRate: RateConfig;
    /** The most unfinished (queued or running) triggers an organisation may have. */
    queuedTriggers: number;
    /**
     * The longest the unfinished triggers ahead of a new one may take to finish at the pace this
     * process's workers measure; beyond it execute answers 429.
     */
    queueWaitSeconds: number;
    /** How many failed client authentications the token endpoint takes, per client id and per address. */
    failedAuthentications: RateConfig;
  };
  idempotency: {
    /** How long an `Idempotency-Key` and its answer are kept. */
    retentionSeconds: number;
  };
  callbacks: {
    /** false: this process delivers no callbacks; they wait in the store for processes that do. */
    enabled: boolean;
    /** One attempt's limit, from connecting to the end of the answer. */
    timeoutMs: number;
    /** At most this many attempts at once in this process. */
    concurrency: number;
    /** How often to look for deliveries that are due, from this process or others. */
    pollIntervalMs: number;
    /** The waits between attempts (`5s`, `30m`, `2h`…): one attempt more than there are waits. */
    retrySchedule: string[];
    /** Address ranges (CIDR, or single addresses) callbacks may reach although they are not public. */
    allow: string[];
  };
  tracing: TracingConfig;
  organisations: Record<string, OrganisationConfig>;
  /** Operator keys: each reaches the admin operations of every organisation. */
  operators: Record<string, ApiKeyConfig>;
  admin: {
    /** How long one admin event stream stays open before the client is asked to connect again. */
    eventStreamSeconds: number;
  };
  /** Switches that exist for contract tests only. */
  testing: { faultInjection: boolean };
}
