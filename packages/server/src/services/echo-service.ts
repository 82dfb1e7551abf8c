import type { ServiceBehaviour } from './service';

/** The `echo` kind: its output is the trigger's parameters. */
export function echoService(): ServiceBehaviour {
  return { run: async (triggerParameters) => ({ ...triggerParameters }) };
}
