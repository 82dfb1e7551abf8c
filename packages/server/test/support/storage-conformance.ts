import type { Storage } from '../../src';
import { adminConformance } from './conformance/admin-conformance';
import { claimConformance } from './conformance/claim-conformance';
import { deliveryConformance } from './conformance/delivery-conformance';
import { idempotencyConformance, type IdempotencyUnderTest } from './conformance/idempotency-conformance';
import { leaseClockConformance } from './conformance/lease-clock-conformance';
import type { OpenRepository } from './conformance/repository-fixtures';
import { newTrigger, type OpenStorage } from './conformance/storage-fixtures';
import { tokenConformance } from './conformance/token-conformance';
import { triggerConformance } from './conformance/trigger-conformance';
import { unitOfWorkConformance } from './conformance/unit-of-work-conformance';
import { usageConformance } from './conformance/usage-conformance';

export type { OpenStorage, StorageHandles } from './conformance/storage-fixtures';
export type { OpenRepository, RepositoryHandles } from './conformance/repository-fixtures';
export type { IdempotencyUnderTest } from './conformance/idempotency-conformance';

/** One aggregate of a whole storage, for the suites that take one aggregate's factory. */
function aggregate<Repository>(open: OpenStorage, pick: (storage: Storage) => Repository): OpenRepository<Repository> {
  return async () => {
    const handles = await open();
    return { first: pick(handles.first), second: pick(handles.second), close: () => handles.close() };
  };
}

// A whole storage completes an Idempotency-Key by writing the key's trigger.
const idempotencyOf = (storage: Storage): IdempotencyUnderTest => ({
  keys: storage.idempotencyKeys,
  complete: (orgId, completion) => storage.createTrigger(newTrigger({ orgId }), completion),
});

/**
 * What a storage adapter on its own clock promises (the SQLite one), aggregate by aggregate. The
 * PostgreSQL adapter runs the suites of its aggregates alone, each with a factory of its own, and
 * has its leases and due times on pg-boss (postgres-jobs.test.ts).
 */
export function storageConformance(name: string, open: OpenStorage): void {
  triggerConformance(name, open);
  claimConformance(name, open);
  leaseClockConformance(name, open);
  idempotencyConformance(name, aggregate(open, idempotencyOf));
  deliveryConformance(name, open);
  tokenConformance(
    name,
    aggregate(open, (storage) => storage.tokens),
  );
  usageConformance(
    name,
    aggregate(open, (storage) => storage.usage),
  );
  unitOfWorkConformance(name, open);
  adminConformance(name, open);
}
