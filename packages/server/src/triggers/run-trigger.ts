import type { FastifyBaseLogger } from 'fastify';
import type { FinishedState, TriggerError, TriggerRecord } from '../storage/trigger-types';
import type { Service } from '../services/service';
import type { Clock } from '../time/clock';
import { newServiceTrace, type ServiceTrace } from '../tracing/service-trace';

/** How a run ended. */
export interface Outcome {
  status: FinishedState;
  output?: unknown;
  error?: TriggerError;
}

/** What a run needs besides the service and the trigger. */
export interface RunOptions {
  /** Aborted when the worker gives the trigger back (shutdown, lost lease): the run has no outcome. */
  stop: AbortSignal;
  log: FastifyBaseLogger;
  outputBytes: number;
  /** Times the run out. */
  clock: Clock;
  /** The run's trace; a new one when absent. */
  trace?: ServiceTrace;
}

function serviceError(reason: string, message: string): TriggerError {
  return { scope: 'service', reason, message };
}

function checkedOutput(output: unknown, outputBytes: number): Outcome {
  if (output === undefined || output === null) return { status: 'succeeded' };
  let json: string;
  try {
    json = JSON.stringify(output);
  } catch (error) {
    return {
      status: 'failed',
      error: serviceError('Invalid output', `The output is not JSON: ${(error as Error).message}`),
    };
  }
  if (json === undefined) return { status: 'succeeded' };
  if (Buffer.byteLength(json) > outputBytes) {
    return {
      status: 'failed',
      error: serviceError('Invalid output', `The output is larger than ${outputBytes} bytes`),
    };
  }
  return { status: 'succeeded', output: JSON.parse(json) as unknown };
}

/**
 * Runs a trigger's service within the service's timeout. Resolves to the outcome, or to
 * `undefined` when `stop` ended the run first. A run that times out is told so through its
 * signal and is not waited for.
 */
export async function runTrigger(
  service: Service,
  trigger: TriggerRecord,
  options: RunOptions,
): Promise<Outcome | undefined> {
  const { stop, log, outputBytes, clock, trace = newServiceTrace } = options;
  const controller = new AbortController();
  let timer: unknown;
  let onStop: (() => void) | undefined;
  const interrupted = new Promise<'timed out' | 'stopped'>((resolve) => {
    timer = clock.setTimeout(() => resolve('timed out'), service.config.timeoutMs);
    onStop = () => resolve('stopped');
    stop.addEventListener('abort', onStop, { once: true });
  });
  try {
    const ended = await Promise.race([
      service
        .run(trigger.triggerParameters, {
          triggerUUID: trigger.triggerUUID,
          orgId: trigger.orgId,
          vsn: trigger.vsn,
          attempt: trigger.attempts,
          signal: controller.signal,
          log,
          trace,
        })
        .then((output) => ({ output })),
      interrupted,
    ]);
    if (ended === 'stopped') {
      controller.abort(stop.reason);
      return undefined;
    }
    if (ended === 'timed out') {
      controller.abort(new Error('timed out'));
      return {
        status: 'timed_out',
        error: serviceError('Timed out', `The service did not finish within ${service.config.timeoutMs} ms`),
      };
    }
    return checkedOutput(ended.output, outputBytes);
  } catch (error) {
    if (stop.aborted) return undefined;
    return {
      status: 'failed',
      error: serviceError('Service failed', error instanceof Error ? error.message : String(error)),
    };
  } finally {
    clock.clearTimeout(timer);
    stop.removeEventListener('abort', onStop!);
  }
}
