import type { TracingConfig } from '../config/server-config';
import { unrecordedTracer, type SpanStarter } from './unrecorded-tracer';

/** The server's tracing: the tracer its spans start from, and the exporter's life. */
export interface Tracing {
  readonly tracer: SpanStarter;
  /** Whether spans are recorded and exported. */
  readonly recording: boolean;
  /** Exports the spans ended so far now, rather than at the end of the exporter's batch delay. */
  flush(): Promise<void>;
  /** Exports what is left and stops the exporter. */
  shutdown(): Promise<void>;
}

const unrecorded: Tracing = {
  tracer: unrecordedTracer,
  recording: false,
  flush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * Tracing as configured: with an OTLP URL, spans are recorded by the OpenTelemetry SDK and exported
 * there; without one, the SDK is not even loaded and spans only carry the trace on.
 */
export async function createTracing(config: TracingConfig): Promise<Tracing> {
  if (!config.otlp.url) return unrecorded;
  const { otlpTracing } = await import('./otlp-tracing');
  return otlpTracing(config.otlp.url);
}
