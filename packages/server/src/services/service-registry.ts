import type { ServerConfig, ServiceConfig } from '../config/server-config';
import { ConfigError } from '../errors/catalogue';
import type { Clock } from '../time/clock';
import { echoService } from './echo-service';
import { failService } from './fail-service';
import { httpService } from './http-service';
import { moduleService } from './module-service';
import type { ServiceBehaviour, Service } from './service';
import { sleepService } from './sleep-service';

/** The services of every organisation. */
export interface ServiceRegistry {
  /** The service `vsn` of an organisation, if it has one. */
  get(orgId: string, vsn: string): Service | undefined;
  all(): Service[];
}

async function behaviourOf(config: ServiceConfig, outputBytes: number, clock: Clock): Promise<ServiceBehaviour> {
  switch (config.kind) {
    case 'echo':
      return echoService();
    case 'sleep':
      return sleepService(config, clock);
    case 'fail':
      return failService(config);
    case 'http':
      return httpService(config, outputBytes);
    case 'module':
      return moduleService(config.module);
  }
}

function withRequiredParameters(
  orgId: string,
  vsn: string,
  config: ServiceConfig,
  behaviour: ServiceBehaviour,
): Service {
  return {
    orgId,
    vsn,
    config,
    run: behaviour.run,
    check: (triggerParameters) => [
      ...config.requiredParameters
        .filter((name) => !Object.hasOwn(triggerParameters, name))
        .map((name) => ({ parameter: name, message: `The service ${vsn} requires the parameter ${name}` })),
      ...(behaviour.check?.(triggerParameters) ?? []),
    ],
  };
}

/**
 * Builds every configured service; a module that cannot be loaded stops start-up.
 * @param clock - what the `sleep` services wait on.
 */
export async function createServiceRegistry(config: ServerConfig, clock: Clock): Promise<ServiceRegistry> {
  const services = new Map<string, Service>();
  for (const [orgId, organisation] of Object.entries(config.organisations)) {
    for (const [vsn, serviceConfig] of Object.entries(organisation.services)) {
      let behaviour: ServiceBehaviour;
      try {
        behaviour = await behaviourOf(serviceConfig, config.limits.outputBytes, clock);
      } catch (error) {
        throw new ConfigError(`organisations.${orgId}.services.${vsn}: ${(error as Error).message}`);
      }
      services.set(`${orgId}\n${vsn}`, withRequiredParameters(orgId, vsn, serviceConfig, behaviour));
    }
  }
  return {
    get: (orgId, vsn) => services.get(`${orgId}\n${vsn}`),
    all: () => [...services.values()],
  };
}
