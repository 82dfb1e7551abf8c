import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import { attributes } from './span-attributes';
import { traceHeadersOf, type TraceHeaders } from './trace-context';
import { unrecordedTracer, type SpanStarter } from './unrecorded-tracer';

/** The trace a service runs in: its calls out are client spans of the trigger's run. */
export interface ServiceTrace {
  tracer: SpanStarter;
  /** The run's span. */
  context: Context;
}

/** A trace of its own, for a service run outside a worker (tests, embedding code). */
export const newServiceTrace: ServiceTrace = { tracer: unrecordedTracer, context: ROOT_CONTEXT };

/**
 * Makes an HTTP call as a client span of the trace: `call` gets the headers that carry the span
 * (`traceparent`, `tracestate`) and resolves to the answer's status.
 */
export async function tracedCall<T extends { status: number }>(
  serviceTrace: ServiceTrace,
  name: string,
  spanAttributes: Attributes,
  call: (headers: TraceHeaders | Record<string, never>) => Promise<T>,
): Promise<T> {
  const span = serviceTrace.tracer.startSpan(
    name,
    { kind: SpanKind.CLIENT, attributes: spanAttributes },
    serviceTrace.context,
  );
  try {
    const answer = await call(traceHeadersOf(trace.setSpan(serviceTrace.context, span)) ?? {});
    span.setAttribute(attributes.httpStatusCode, answer.status);
    if (answer.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
    return answer;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}
