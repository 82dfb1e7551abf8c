// @autofacilitate/sdk: the AutoFacilitate API for application code. Runs wherever fetch and
// WebCrypto do: Node ≥ 20, browsers, edge runtimes.
export { AutoFacilitate, type ExecuteResult } from './auto-facilitate';
export {
  AutoFacilitateAdmin,
  type AdminEvent,
  type AutoFacilitateAdminOptions,
  type TriggerFilters,
} from './admin/auto-facilitate-admin';
// The admin API's wire types, as the generated client reads them (times as Dates).
export type {
  AdminApiKeyUsage,
  AdminDelivery,
  AdminDeliveryAttempt,
  AdminDeliveryEvent,
  AdminService,
  AdminTimelineEntry,
  AdminTrigger,
  AdminTriggerEvent,
  AdminTriggerSummary,
  DeliveryState,
  TriggerState,
} from '@autofacilitate/client';
export { TokenClient, type TokenClientOptions } from './auth/token-client';
export type { AccessTokenInfo } from './auth/token-provider';
export type * from './options';
export type { RetryOptions } from './http/retry-policy';
export type { Logger } from './logger';
export { systemClock, type Clock } from './time/clock';
export type { Random } from './time/random';
export { productionBaseUrl, productionTokenUrl, TOKEN_PATH } from './urls';
export type { TriggerParameters } from './trigger/trigger-input';
export type {
  TriggerFailed,
  TriggerFinished,
  TriggerOutcome,
  TriggerOutcomeBase,
  TriggerPending,
  TriggerStatus,
  TriggerSucceeded,
} from './trigger/outcome';
export {
  AuthError,
  AutoFacilitateError,
  CallbackVerificationError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  type AuthErrorInit,
  type ServerErrorInit,
  type AdminOperationId,
  type AutoFacilitateErrorInit,
  type CallbackFailure,
  type ErrorDetail,
  type OperationId,
  type RefusedCredential,
  type TimeoutErrorInit,
} from './errors';
export {
  verifyCallback,
  type CallbackHeaders,
  type VerifiedCallback,
  type VerifyCallbackOptions,
} from './callbacks/verify-callback';
export { parseCallback, type TriggerCallback } from './callbacks/parse-callback';
export { createTestCallback, type TestCallback, type TestCallbackOptions } from './callbacks/create-test-callback';
export type { CallbackSecret, RawBody } from './callbacks/signature';
