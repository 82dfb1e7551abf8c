import { EventEmitter } from 'node:events';
import type { AdminDeliveryEvent, AdminTriggerEvent } from '@autofacilitate/types';

/** What the admin event stream carries, as the spec's `adminTriggerEvent` and `adminDeliveryEvent`. */
export interface AdminEventMap {
  trigger: [event: AdminTriggerEvent];
  delivery: [event: AdminDeliveryEvent];
}

/**
 * The changes this process makes to triggers and deliveries, for the admin event streams. Every
 * open stream listens, so there is no bound on listeners.
 */
export class AdminEvents extends EventEmitter<AdminEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}
