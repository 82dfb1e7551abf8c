import type { CallEnvironment } from './http/exchange';
import { resolveRetryPolicy, type RetryOptions } from './http/retry-policy';
import type { Logger } from './logger';
import { systemClock, type Clock } from './time/clock';
import { systemRandom, type Random } from './time/random';

/** The options every client takes for time, randomness, retries and logging. */
export interface EnvironmentOptions {
  retry?: RetryOptions | false;
  logger?: Logger;
  clock?: Clock;
  random?: Random;
}

/** What every call of a client runs with, the defaults filled in. */
export function callEnvironment(options: EnvironmentOptions): CallEnvironment {
  return {
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    retry: resolveRetryPolicy(options.retry),
    logger: options.logger ?? {},
  };
}
