import { deliveryConformance } from './conformance/delivery-conformance';
import { idempotencyConformance } from './conformance/idempotency-conformance';
import type { OpenStorage } from './conformance/storage-fixtures';
import { tokenConformance } from './conformance/token-conformance';
import { triggerConformance } from './conformance/trigger-conformance';
import { unitOfWorkConformance } from './conformance/unit-of-work-conformance';
import { usageConformance } from './conformance/usage-conformance';

export type { OpenStorage, StorageHandles } from './conformance/storage-fixtures';

/**
 * What every storage adapter promises, aggregate by aggregate, checked the same way for each: the
 * SQLite one now, a PostgreSQL one when it comes (which may run one suite at a time as it grows).
 */
export function storageConformance(name: string, open: OpenStorage): void {
  triggerConformance(name, open);
  idempotencyConformance(name, open);
  deliveryConformance(name, open);
  tokenConformance(name, open);
  usageConformance(name, open);
  unitOfWorkConformance(name, open);
}
