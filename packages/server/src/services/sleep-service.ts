import type { SleepServiceConfig } from '../config/server-config';
import type { Clock } from '../time/clock';
import { sleep } from '../time/sleep';
import type { ServiceBehaviour } from './service';

const wholeMilliseconds = /^\d{1,9}$/;

/**
 * The `sleep` kind: waits `ms` milliseconds (the service's, or the trigger's own `ms` parameter)
 * and finishes with no output.
 */
export function sleepService(config: SleepServiceConfig, clock: Clock): ServiceBehaviour {
  return {
    check: (triggerParameters) =>
      triggerParameters.ms === undefined || wholeMilliseconds.test(triggerParameters.ms)
        ? []
        : [{ parameter: 'ms', message: 'ms must be a whole number of milliseconds' }],
    run: async (triggerParameters, { signal }) => {
      const ms = triggerParameters.ms === undefined ? config.ms : Number(triggerParameters.ms);
      await sleep(clock, ms, signal);
      return undefined;
    },
  };
}
