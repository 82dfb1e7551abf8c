import type { IncomingHttpHeaders } from 'node:http';
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** A trace's W3C headers, as execute received them and as they are stored with a trigger and sent on. */
export interface TraceHeaders {
  traceparent: string;
  tracestate?: string;
}

// The propagator alone, not the global one: embedding applications keep their own.
const propagator = new W3CTraceContextPropagator();

/**
 * The trace context that request or stored headers carry; an empty context when `traceparent` is
 * missing or malformed (the W3C rule: ignore it, and its `tracestate` with it).
 */
export function traceContextOf(headers: IncomingHttpHeaders | TraceHeaders | undefined): Context {
  return headers ? propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter) : ROOT_CONTEXT;
}

/** The headers that carry the context's span on; `undefined` when it has no valid span. */
export function traceHeadersOf(context: Context): TraceHeaders | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  if (carrier.traceparent === undefined) return undefined;
  return carrier.tracestate
    ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate }
    : { traceparent: carrier.traceparent };
}
