import { ApiError } from './server-error';

// The `reason` of a problem, by status, as the spec's examples word it.
const reasons: Record<number, string> = {
  400: 'Invalid request',
  404: 'Not found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  431: 'Request Header Fields Too Large',
  500: 'Internal server error',
  503: 'Service Unavailable',
};

export function refusal(
  code: string,
  statusCode: number,
  scope: string,
  message: string,
  reason = reasons[statusCode] ?? 'Invalid request',
) {
  return new ApiError(code, statusCode, [{ code, scope, reason, message }]);
}

export function slowDown(code: string, retryAfterSeconds: number, reason: string, message: string) {
  // `Retry-After` is in whole seconds, at least 1.
  const headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  return new ApiError(code, 429, [{ code, scope: 'global', reason, message }], headers);
}

export function unavailable(code: string, message: string) {
  // Worth trying again soon: the store may answer by then.
  return new ApiError(code, 503, [{ code, scope: 'global', reason: reasons[503]!, message }], { 'retry-after': '1' });
}
