import type { ServiceCapacity } from '../../../src';
import { describeStorage, t0, lease, newTrigger, type OpenStorage, type Records } from './storage-fixtures';

const service = (orgId: string, concurrency: number, vsn = 'echo'): ServiceCapacity => ({ orgId, vsn, concurrency });

/** Writes `count` queued triggers of a service in one go, as a burst of executes would. */
async function backlog(store: Records, count: number, orgId = 'acme', vsn = 'echo'): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => store.createTrigger(newTrigger({ orgId, vsn }))));
}

async function runningOf(store: Records, triggerUUIDs: string[], orgId = 'acme'): Promise<number> {
  const triggers = await Promise.all(triggerUUIDs.map((id) => store.triggers.findTrigger(orgId, id)));
  return triggers.filter((trigger) => trigger?.status === 'running').length;
}

/** What every storage adapter promises of a claim's batch: its order, its fairness, its bounds. */
export function claimConformance(name: string, open: OpenStorage<Records>): void {
  describeStorage(`${name} storage: claims`, open, (opened) => {
    test("serves every service asked for in one batch, each within its own concurrency, whatever the others' backlog", async () => {
      const { store } = opened;
      await backlog(store, 2000);
      await backlog(store, 3, 'acme', 'other');
      const lonely = newTrigger({ orgId: 'globex' });
      await store.createTrigger(lonely);
      const claimed = await store.triggers.claimTriggers({
        workerId: 'w1',
        now: t0 + 10_000,
        leaseMs: lease,
        services: [service('acme', 4), service('acme', 2, 'other'), service('globex', 4)],
      });
      const count = (orgId: string, vsn: string) =>
        claimed.filter((trigger) => trigger.orgId === orgId && trigger.vsn === vsn).length;
      expect([count('acme', 'echo'), count('acme', 'other'), count('globex', 'echo')]).toEqual([4, 2, 1]);
      expect(claimed.find((trigger) => trigger.orgId === 'globex')?.triggerUUID).toBe(lonely.triggerUUID);
    });

    test('keeps concurrency exact while handles claim batches at once and runs finish between them', async () => {
      const { store, peer } = opened;
      const triggers = Array.from({ length: 60 }, () => newTrigger());
      await Promise.all(triggers.map((trigger) => store.createTrigger(trigger)));
      const ids = triggers.map((trigger) => trigger.triggerUUID);
      const held = new Map<string, string>();
      let finishedCount = 0;
      for (let round = 0; finishedCount < triggers.length; round++) {
        const now = t0 + 1000 + round;
        const batches = await Promise.all(
          [store, peer, store, peer].map((handle, i) =>
            handle.triggers.claimTriggers({ workerId: `w${i}`, now, leaseMs: lease, services: [service('acme', 5)] }),
          ),
        );
        for (const [i, batch] of batches.entries()) for (const trigger of batch) held.set(trigger.triggerUUID, `w${i}`);
        expect(batches.flat().length).toBeLessThanOrEqual(5);
        expect(await runningOf(peer, ids)).toBeLessThanOrEqual(5);
        // Two of the runs end before the next round; the others go on.
        for (const [triggerUUID, workerId] of [...held].slice(0, 2)) {
          held.delete(triggerUUID);
          finishedCount++;
          const finish = {
            triggerUUID,
            workerId,
            status: 'succeeded' as const,
            finishedAt: now,
            webhookId: 'msg_test',
          };
          expect(await (finishedCount % 2 === 0 ? store : peer).finishTrigger(finish)).toBe(true);
        }
      }
      expect(await runningOf(peer, ids)).toBe(0);
    });
  });
}
