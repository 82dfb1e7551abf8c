import type { FastifyBaseLogger } from 'fastify';
import type { ServiceConfig } from '../config/server-config';
import type { ServiceTrace } from '../tracing/service-trace';

/** What a service gets besides the trigger's parameters. */
export interface ServiceContext {
  triggerUUID: string;
  orgId: string;
  vsn: string;
  /** 1 on the first run; more when the trigger runs again after its worker was lost. */
  attempt: number;
  /** Aborted when the run times out or the worker gives the trigger back; a service stops then. */
  signal: AbortSignal;
  /** Log lines carry the trigger's request id and triggerUUID. */
  log: FastifyBaseLogger;
  /** The trigger's trace: a service's calls out join it as client spans (`http` services do). */
  trace: ServiceTrace;
}

/** A problem with a trigger's parameters that makes it unprocessable (422). */
export interface ParameterProblem {
  parameter: string;
  message: string;
}

/** What a service kind does: check parameters at execute time, and run. */
export interface ServiceBehaviour {
  /** Problems beyond the declared required parameters; none by default. */
  check?(triggerParameters: Record<string, string>): ParameterProblem[];
  /** Runs a trigger; what it resolves to is the output (`undefined` or `null`: no output). */
  run(triggerParameters: Record<string, string>, context: ServiceContext): Promise<unknown>;
}

/** A service of an organisation, ready to run. */
export interface Service extends ServiceBehaviour {
  orgId: string;
  vsn: string;
  config: ServiceConfig;
  check(triggerParameters: Record<string, string>): ParameterProblem[];
}
