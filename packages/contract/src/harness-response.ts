// Writing the facade's typed answers back in the spec's wire format with the generated encoders,
// so that Dredd sees exactly what the facade understood.
import type { ServerResponse } from 'node:http';
import {
  ErrorResponseToJSON,
  TriggerOutcomeToJSON,
  TriggerProgressToJSON,
  type TriggerState,
} from '@autofacilitate/client';
import { AutoFacilitateError, type TriggerOutcome } from '@autofacilitate/sdk';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The facade's error, back on the wire as the spec documents it. */
export function sendError(response: ServerResponse, error: unknown, token: boolean): void {
  if (!(error instanceof AutoFacilitateError)) throw error;
  // An error with no HTTP status (deadline, network, local check) has no documented wire form: 502 says so.
  const status = error.status ?? (error.name === 'ValidationError' ? 400 : 502);
  const challenge =
    'wwwAuthenticate' in error && typeof error.wwwAuthenticate === 'string'
      ? { 'WWW-Authenticate': error.wwwAuthenticate }
      : undefined;
  const retryAfter =
    error.retryAfterMs === undefined ? undefined : { 'Retry-After': String(Math.ceil(error.retryAfterMs / 1000)) };
  if (token && 'oauthError' in error && typeof error.oauthError === 'string') {
    const description = (error as { oauthErrorDescription?: string }).oauthErrorDescription;
    sendJson(
      response,
      status,
      { error: error.oauthError, ...(description ? { error_description: description } : {}) },
      { ...challenge, ...retryAfter },
    );
    return;
  }
  if (status === 401) {
    const credential = 'credential' in error && error.credential === 'apiKey' ? 'api-key' : 'access-token';
    response.writeHead(401, { ...challenge, 'Refused-Credential': credential });
    response.end();
    return;
  }
  const headers: Record<string, string> = { ...retryAfter };
  if (error.requestId !== undefined) headers['x-request-id'] = error.requestId;
  sendJson(
    response,
    status,
    ErrorResponseToJSON({
      code: String(error.code ?? status),
      message: error.responseMessage ?? error.message,
      errors: [...error.errors],
    }),
    headers,
  );
}

/** The facade's typed outcome, back as the status and body the spec documents for it. */
export function sendOutcome(response: ServerResponse, outcome: TriggerOutcome): void {
  const { triggerUUID, vsn, createdAt, startedAt } = outcome;
  if (!outcome.done) {
    const retryAfter =
      outcome.retryAfterMs === undefined
        ? undefined
        : { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) };
    sendJson(
      response,
      202,
      TriggerProgressToJSON({
        triggerUUID,
        vsn,
        status: outcome.status as TriggerState,
        createdAt: createdAt as Date,
        startedAt,
      }),
      retryAfter,
    );
    return;
  }
  // `triggerOutcome` requires createdAt, so only the 204 of Alvaria's API reference gives a finished trigger without one.
  if (createdAt === undefined) {
    response.writeHead(204);
    response.end();
    return;
  }
  const details = outcome.status === 'succeeded' ? { output: outcome.output } : { error: outcome.error as never };
  sendJson(
    response,
    200,
    TriggerOutcomeToJSON({
      triggerUUID,
      vsn,
      status: outcome.status as TriggerState,
      createdAt,
      startedAt,
      finishedAt: outcome.finishedAt,
      ...details,
    }),
  );
}
