import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { AdminAuthenticationDependencies } from '../auth/admin-authentication';
import type { UsageMeter } from '../auth/usage-meter';
import type { OrganisationConfig } from '../config/server-config';
import type { ServiceRegistry } from '../services/service-registry';
import type { Storage } from '../storage/storage';
import type { Clock } from '../time/clock';
import type { AdminEvents } from './admin-events';

/** What the admin operations need. */
export interface AdminDependencies {
  authentication: AdminAuthenticationDependencies;
  store: Storage;
  services: ServiceRegistry;
  organisations: Record<string, OrganisationConfig>;
  usage: UsageMeter;
  events: AdminEvents;
  /** Told when a delivery was made due again, so that it is attempted at once. */
  deliverer: { wake(): void };
  clock: Clock;
  /** How long an event stream stays open. */
  eventStreamSeconds: number;
}

// Query strings and path segments are text: the admin operations' integers (`limit`,
// `deliveryId`) are read from it, which the server's own validator, strict for bodies, does not do.
const coercing = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: false, allErrors: false });
addFormats(coercing);

/** Validates an admin operation's parameters, reading numbers from their text. */
export function readParametersAsText(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => coercing.compile(schema));
}
