import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Tracing } from './tracing';

/**
 * Spans recorded by the OpenTelemetry SDK and exported in batches to an OTLP/HTTP receiver, as
 * JSON. The provider is the server's own, not registered globally: an application that embeds
 * the server keeps its own. `OTEL_EXPORTER_OTLP_HEADERS` (and `…_TRACES_HEADERS`) add headers,
 * e.g. a collector's credentials, as the exporter reads them.
 */
export function otlpTracing(url: string): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'autofacilitate-server' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  });
  return {
    tracer: provider.getTracer('@autofacilitate/server'),
    recording: true,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
