import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DeliveryRecord } from '../storage/delivery-types';
import type { TriggerRecord } from '../storage/trigger-types';
import { attributes, urlWithoutSecrets } from './span-attributes';
import { traceContextOf, traceHeadersOf, type TraceHeaders } from './trace-context';
import type { SpanStarter } from './unrecorded-tracer';

/** The client span of one callback attempt. */
export interface DeliverySpan {
  /** What the attempt sends, so that the receiver joins the trace. */
  headers: TraceHeaders | Record<string, never>;
  /**
   * Ends the span with how the attempt went (`delivered`, `rejected`, `timeout`…), and the
   * receiver's status when it answered; without an outcome, the attempt was cut short.
   */
  end(outcome: string | undefined, statusCode: number | undefined): void;
}

/** Starts the span of a callback attempt, a child of the trigger's execute span. */
export function startDeliverySpan(tracer: SpanStarter, delivery: DeliveryRecord, trigger: TriggerRecord): DeliverySpan {
  const parent = traceContextOf(trigger.trace);
  const span = tracer.startSpan(
    'callback delivery',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [attributes.orgId]: trigger.orgId,
        [attributes.vsn]: trigger.vsn,
        [attributes.triggerUUID]: trigger.triggerUUID,
        [attributes.webhookId]: delivery.webhookId,
        [attributes.attempt]: delivery.attempts,
        [attributes.httpMethod]: 'POST',
        [attributes.url]: urlWithoutSecrets(delivery.url),
      },
    },
    parent,
  );
  return {
    headers: traceHeadersOf(trace.setSpan(parent, span)) ?? {},
    end: (outcome, statusCode) => {
      if (statusCode !== undefined) span.setAttribute(attributes.httpStatusCode, statusCode);
      if (outcome === undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: 'cut short' });
      else {
        span.setAttribute(attributes.deliveryOutcome, outcome);
        if (outcome !== 'delivered') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      }
      span.end();
    },
  };
}
