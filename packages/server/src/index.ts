/**
 * `@autofacilitate/server`: a self-hostable AutoFacilitate server. Start it with the
 * `autofacilitate-server` command, or embed it:
 *
 * ```ts
 * const server = await createServer(await loadConfig('config.yaml'));
 * await server.listen();
 * ```
 */
export { createServer, type AutoFacilitateServer, type ServerOptions } from './server';
export { loadConfig, resolveConfig, type ConfigSource } from './config/load-config';
export { ConfigError, IdempotencyKeyLost } from './errors/catalogue';
export {
  apiKeyVariable,
  callbackSecretVariable,
  clientSecretVariable,
  postgresUrlVariable,
} from './config/env-overrides';
export type * from './config/server-config';
export { parseServerRole, serverRoles, type ServerRole } from './config/server-role';
export { hashApiKey, hashClientSecret } from './auth/secret-hash';
export { SqliteStorage, type SqliteStorageOptions } from './storage/sqlite/sqlite-storage';
export { openStorage, type OpenStorageOptions } from './storage/open-storage';
export type * from './storage/storage';
export type * from './storage/unit-of-work';
export type * from './storage/trigger-store';
export type * from './storage/trigger-types';
export type * from './storage/idempotency-key-store';
export type * from './storage/idempotency-types';
export type * from './storage/delivery-store';
export type * from './storage/delivery-types';
export type * from './storage/token-store';
export type * from './storage/token-types';
export type * from './storage/usage-store';
export type * from './storage/usage-types';
export { newCallbackSecret } from './callbacks/callback-secret';
export type { Connect } from './callbacks/callback-transport';
export type { ServiceContext, ParameterProblem } from './services/service';
export type { ServiceTrace } from './tracing/service-trace';
export type { TraceHeaders } from './tracing/trace-context';
export type { Clock } from './time/clock';
export type { Ids } from './random/ids';
export type { Random } from './random/random';
export type { Resolver, ResolvedAddress } from './callbacks/resolver';
