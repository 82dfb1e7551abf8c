import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onResponseHookHandler,
} from 'fastify';
import { attributes } from './span-attributes';
import { traceContextOf, traceHeadersOf, type TraceHeaders } from './trace-context';
import type { SpanStarter } from './unrecorded-tracer';

/** The server span of each execute request, from its `traceparent` or a new trace. */
export interface ExecuteSpans {
  /** Starts the request's span: the first hook of the route. */
  onRequest: onRequestHookHandler;
  /** Ends it with the answer's status. */
  onResponse: onResponseHookHandler;
  /** Ends it when the client went away before its answer. */
  onRequestAbort: onRequestAbortHookHandler;
  /** The request's trace, to store with its trigger so that the run and the callbacks join it. */
  traceOf(request: FastifyRequest, triggerUUID: string): TraceHeaders | undefined;
}

/** Execute's spans, named as the semantic conventions name server spans: method and route. */
export function executeSpans(tracer: SpanStarter, method: string, url: string): ExecuteSpans {
  const route = url.replace(/:(\w+)/g, '{$1}');
  const name = `${method} ${route}`;
  // Per request, without decorating every request of the application.
  const spans = new WeakMap<FastifyRequest, Span>();
  const end = (request: FastifyRequest, reply: FastifyReply | undefined) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (reply) {
      span.setAttribute(attributes.httpStatusCode, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away' });
    span.end();
  };
  return {
    onRequest: (request, _reply, done) => {
      const { orgId, vsn } = request.params as { orgId: string; vsn: string };
      const span = tracer.startSpan(
        name,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [attributes.httpMethod]: method,
            [attributes.httpRoute]: route,
            [attributes.orgId]: orgId,
            [attributes.vsn]: vsn,
          },
        },
        traceContextOf(request.headers),
      );
      spans.set(request, span);
      done();
    },
    onResponse: (request, reply, done) => {
      end(request, reply);
      done();
    },
    onRequestAbort: (request, done) => {
      end(request, undefined);
      done();
    },
    traceOf: (request, triggerUUID) => {
      const span = spans.get(request);
      if (!span) return undefined;
      span.setAttribute(attributes.triggerUUID, triggerUUID);
      return traceHeadersOf(trace.setSpan(ROOT_CONTEXT, span));
    },
  };
}
