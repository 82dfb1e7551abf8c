import { AdminApi, Configuration, ResponseError } from '@autofacilitate/client';

/**
 * The admin API, through the generated client, on the server that serves the console. The browser
 * sends the session cookie itself (same origin); the console's header proves to the server that a
 * request comes from this page, not from a form of another site.
 */
export const admin = new AdminApi(
  new Configuration({
    basePath: window.location.origin,
    credentials: 'same-origin',
    headers: { 'x-autofacilitate-console': '1' },
  }),
);

/** The URL of an organisation's event stream, as the generated client builds it. */
export async function eventsUrl(orgId: string): Promise<string> {
  const { path } = await admin.streamAdminEventsRequestOpts({ orgId });
  return `${window.location.origin}${path}`;
}

/** A sentence for an error of the API: its ErrorResponse's first message, else the status. */
export async function problemOf(error: unknown): Promise<string> {
  if (error instanceof ResponseError) {
    const body = (await error.response.json().catch(() => undefined)) as
      { errors?: { message?: string }[]; message?: string } | undefined;
    return body?.errors?.[0]?.message ?? body?.message ?? `The server answered ${error.response.status}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether an error is the server saying the session is gone. */
export const signedOut = (error: unknown) => error instanceof ResponseError && error.response.status === 401;
