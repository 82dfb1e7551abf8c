import type { UsageStore } from '../../../src';
import { describeRepository, type OpenRepository } from './repository-fixtures';
import { t0 } from './storage-fixtures';

/** What every storage adapter promises of the usage counters. */
export function usageConformance(name: string, open: OpenRepository<UsageStore>): void {
  describeRepository(`${name} storage: usage`, open, (opened) => {
    test('adds usage counts from every handle', async () => {
      const { store, peer } = opened;
      await store.addUsage([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 2, lastUsedAt: t0 + 5 },
      ]);
      await peer.addUsage([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 3, lastUsedAt: t0 + 1 },
        { orgId: 'acme', apiKey: 'main', operationId: 'getTriggerResult', count: 1, lastUsedAt: t0 + 9 },
      ]);
      expect(await store.listUsage()).toEqual([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 5, lastUsedAt: t0 + 5 },
        { orgId: 'acme', apiKey: 'main', operationId: 'getTriggerResult', count: 1, lastUsedAt: t0 + 9 },
      ]);
    });

    test('a counter twice in one add counts both, and adds at once from both handles lose none', async () => {
      const { store, peer } = opened;
      const call = (count: number, lastUsedAt: number, operationId = 'executeService') => ({
        orgId: 'acme',
        apiKey: 'main',
        operationId,
        count,
        lastUsedAt,
      });
      await store.addUsage([call(1, t0 + 3), call(2, t0 + 1)]);
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? store : peer).addUsage([call(1, t0 + index, 'getTriggerResult'), call(1, t0)]),
        ),
      );
      expect(await peer.listUsage()).toEqual([call(23, t0 + 3), call(20, t0 + 19, 'getTriggerResult')]);
    });
  });
}
