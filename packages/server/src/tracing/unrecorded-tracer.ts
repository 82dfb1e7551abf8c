import { randomFillSync } from 'node:crypto';
import { trace, TraceFlags, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';

/** What the server asks of a tracer: spans started under an explicit parent context. */
export type SpanStarter = Pick<Tracer, 'startSpan'>;

// Ids are drawn in blocks: one call to the random source per 64 spans.
const block = Buffer.alloc(1024);
let used = block.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (used + bytes > block.length) {
      randomFillSync(block);
      used = 0;
    }
    const id = block.toString('hex', used, (used += bytes));
    // An all-zero id is invalid in W3C trace context.
    if (!/^0+$/.test(id)) return id;
  }
}

/**
 * The tracer while no exporter is configured: it records nothing and loads no SDK, but its spans
 * have ids of their own, so the trace still flows: a child of the caller's span, or the root of a
 * new trace when the caller sent none.
 */
export const unrecordedTracer: SpanStarter = {
  startSpan(_name: string, _options?: SpanOptions, context?: Context): Span {
    const parent = context && trace.getSpanContext(context);
    return trace.wrapSpanContext({
      traceId: parent?.traceId ?? randomHex(16),
      spanId: randomHex(8),
      // Recorded by the caller or not, as the caller said; never by this server.
      traceFlags: parent?.traceFlags ?? TraceFlags.NONE,
      ...(parent?.traceState ? { traceState: parent.traceState } : {}),
    });
  },
};
