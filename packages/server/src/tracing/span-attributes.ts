/**
 * The attributes the server's spans carry: the API's own words under `autofacilitate.`, and the
 * OpenTelemetry semantic conventions for HTTP. Never a secret, a parameter value or a URL's query.
 */
export const attributes = {
  orgId: 'autofacilitate.org_id',
  vsn: 'autofacilitate.vsn',
  triggerUUID: 'autofacilitate.trigger_uuid',
  /** The run's attempt (a trigger runs again after its worker was lost), or the delivery's. */
  attempt: 'autofacilitate.attempt',
  /** How the run ended: `succeeded`, `failed` or `timed_out`. */
  triggerStatus: 'autofacilitate.trigger_status',
  webhookId: 'autofacilitate.webhook_id',
  /** How a callback attempt went: `delivered`, `gone`, `rejected`, `timeout`, `network`, `refused`. */
  deliveryOutcome: 'autofacilitate.delivery_outcome',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatusCode: 'http.response.status_code',
  /** Scheme, host, port and path only. */
  url: 'url.full',
} as const;

/** A URL for a span: its query may carry the receiver's token, and its user info a password. */
export function urlWithoutSecrets(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
