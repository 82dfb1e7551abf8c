import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TriggerRecord } from '../storage/trigger-types';
import type { Outcome } from '../triggers/run-trigger';
import type { ServiceTrace } from './service-trace';
import { attributes } from './span-attributes';
import { traceContextOf } from './trace-context';
import type { SpanStarter } from './unrecorded-tracer';

/** The span of one run of a trigger, in the trace its execute started. */
export interface RunSpan {
  /** The trace the service runs in. */
  trace: ServiceTrace;
  /** Ends the span with the run's outcome (without one, the run was given back); once. */
  end(outcome: Outcome | undefined): void;
}

/** Starts the span of a trigger's run, a child of its execute's span, in this process or another. */
export function startRunSpan(tracer: SpanStarter, trigger: TriggerRecord): RunSpan {
  const parent = traceContextOf(trigger.trace);
  const span = tracer.startSpan(
    'trigger run',
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [attributes.orgId]: trigger.orgId,
        [attributes.vsn]: trigger.vsn,
        [attributes.triggerUUID]: trigger.triggerUUID,
        [attributes.attempt]: trigger.attempts,
      },
    },
    parent,
  );
  let ended = false;
  return {
    trace: { tracer, context: trace.setSpan(parent, span) },
    end: (outcome) => {
      if (ended) return;
      ended = true;
      if (outcome) {
        span.setAttribute(attributes.triggerStatus, outcome.status);
        if (outcome.error) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.reason });
      } else span.setStatus({ code: SpanStatusCode.ERROR, message: 'given back' });
      span.end();
    },
  };
}
