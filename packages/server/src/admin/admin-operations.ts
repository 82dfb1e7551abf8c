import { getAdminSession } from '../console/get-admin-session';
import { signInAdminSession } from '../console/sign-in-admin-session';
import { signOutAdminSession } from '../console/sign-out-admin-session';
import type { OperationPlugin } from '../http/spec-routes';
import type { AdminDependencies } from './admin-dependencies';
import { getAdminTrigger } from './get-admin-trigger';
import { getAdminUsage } from './get-admin-usage';
import { listAdminServices } from './list-admin-services';
import { listAdminTriggers } from './list-admin-triggers';
import { resendAdminDelivery } from './resend-admin-delivery';
import { streamAdminEvents } from './stream-admin-events';

/** The admin operations of the spec, by operationId. */
export function adminOperations(dependencies: AdminDependencies): Record<string, OperationPlugin> {
  return {
    listAdminTriggers: listAdminTriggers(dependencies),
    getAdminTrigger: getAdminTrigger(dependencies),
    resendAdminDelivery: resendAdminDelivery(dependencies),
    listAdminServices: listAdminServices(dependencies),
    getAdminUsage: getAdminUsage(dependencies),
    streamAdminEvents: streamAdminEvents(dependencies),
    signInAdminSession: signInAdminSession(dependencies),
    getAdminSession: getAdminSession(dependencies),
    signOutAdminSession: signOutAdminSession(dependencies),
  };
}
