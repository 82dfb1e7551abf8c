import type { ServerConfig } from '../config/server-config';

/** The standard OpenTelemetry variables the server reads, in the order they win. */
export const otlpTracesEndpointVariable = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
export const otlpEndpointVariable = 'OTEL_EXPORTER_OTLP_ENDPOINT';
export const sdkDisabledVariable = 'OTEL_SDK_DISABLED';

/**
 * Applies the standard OpenTelemetry environment to `tracing.otlp.url`, as every OTLP exporter
 * reads it: `…_TRACES_ENDPOINT` is the URL itself, `OTEL_EXPORTER_OTLP_ENDPOINT` the receiver's
 * base URL, to which `/v1/traces` is added; either wins over the file; `OTEL_SDK_DISABLED=true`
 * switches tracing off whatever else says.
 */
export function applyOtlpEnvironment(config: ServerConfig, env: NodeJS.ProcessEnv, problems: string[]): void {
  if (env[sdkDisabledVariable]?.trim().toLowerCase() === 'true') {
    delete config.tracing.otlp.url;
    return;
  }
  const traces = env[otlpTracesEndpointVariable]?.trim();
  const base = env[otlpEndpointVariable]?.trim();
  const [variable, url] = traces
    ? [otlpTracesEndpointVariable, traces]
    : base
      ? [otlpEndpointVariable, `${base.replace(/\/+$/, '')}/v1/traces`]
      : [];
  if (!variable || url === undefined) return;
  if (/^https?:\/\//.test(url)) config.tracing.otlp.url = url;
  else problems.push(`${variable}: must be an http:// or https:// URL`);
}
