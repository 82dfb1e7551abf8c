import type { FailServiceConfig } from '../config/server-config';
import type { ServiceBehaviour } from './service';

/** The `fail` kind: every run fails with the configured message. */
export function failService(config: FailServiceConfig): ServiceBehaviour {
  return {
    run: async () => {
      throw new Error(config.message);
    },
  };
}
