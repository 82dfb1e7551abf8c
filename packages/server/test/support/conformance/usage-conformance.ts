import { describeStorage, t0, type OpenStorage } from './storage-fixtures';

/** What every storage adapter promises of the usage counters. */
export function usageConformance(name: string, open: OpenStorage): void {
  describeStorage(`${name} storage: usage`, open, (opened) => {
    test('adds usage counts from every handle', async () => {
      const { store, peer } = opened;
      await store.usage.addUsage([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 2, lastUsedAt: t0 + 5 },
      ]);
      await peer.usage.addUsage([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 3, lastUsedAt: t0 + 1 },
        { orgId: 'acme', apiKey: 'main', operationId: 'getTriggerResult', count: 1, lastUsedAt: t0 + 9 },
      ]);
      expect(await store.usage.listUsage()).toEqual([
        { orgId: 'acme', apiKey: 'main', operationId: 'executeService', count: 5, lastUsedAt: t0 + 5 },
        { orgId: 'acme', apiKey: 'main', operationId: 'getTriggerResult', count: 1, lastUsedAt: t0 + 9 },
      ]);
    });
  });
}
