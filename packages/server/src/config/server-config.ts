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
  | EchoServiceConfig
  | SleepServiceConfig
  | FailServiceConfig
  | HttpServiceConfig
  | ModuleServiceConfig;

/** An OAuth client; its secret is only ever held hashed. */
export interface ClientConfig {
  secretHash: string;
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
}

/** The whole configuration, with every default filled in and every path absolute. */
export interface ServerConfig {
  server: {
    host: string;
    port: number;
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    trustProxy: boolean;
    /** How long SIGTERM waits for running triggers before giving them back to the queue. */
    shutdownGraceMs: number;
  };
  storage: {
    sqlite: {
      file: string;
      synchronous: 'NORMAL' | 'FULL';
      busyTimeoutMs: number;
    };
  };
  tokens: { ttlSeconds: number };
  results: { retentionSeconds: number; purgeIntervalSeconds: number };
  workers: { enabled: boolean; leaseMs: number; pollIntervalMs: number; maxAttempts: number };
  usage: { flushIntervalMs: number };
  limits: { bodyBytes: number; outputBytes: number };
  organisations: Record<string, OrganisationConfig>;
  /** Switches that exist for contract tests only. */
  testing: { faultInjection: boolean };
}
