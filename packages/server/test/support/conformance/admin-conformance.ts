import { describeStorage, t0, lease, urls, newTrigger, finished, type OpenStorage } from './storage-fixtures';

/** What every storage adapter promises of the admin reads and the resend. */
export function adminConformance(name: string, open: OpenStorage): void {
  describeStorage(`${name} storage: admin`, open, (opened) => {
    test("lists an organisation's triggers newest first, filtered, a page after another, never another organisation's", async () => {
      const { store, peer } = opened;
      const echoes = [newTrigger(), newTrigger(), newTrigger()];
      for (const trigger of echoes) await store.createTrigger(trigger);
      const other = newTrigger({ orgId: 'globex' });
      await store.createTrigger(other);
      const done = newTrigger({ vsn: 'sleep', callbackUrls: urls });
      await finished(store, done, t0 + 500);

      const uuids = async (query: Partial<Parameters<typeof peer.admin.listTriggers>[0]>) =>
        (await peer.admin.listTriggers({ orgId: 'acme', limit: 10, ...query })).map((trigger) => trigger.triggerUUID);
      expect(await uuids({})).toEqual([done, ...[...echoes].reverse()].map((trigger) => trigger.triggerUUID));
      expect(await uuids({ orgId: 'globex' })).toEqual([other.triggerUUID]);
      expect(await uuids({ status: 'succeeded' })).toEqual([done.triggerUUID]);
      expect(await uuids({ vsn: 'echo', limit: 2 })).toEqual([echoes[2]!.triggerUUID, echoes[1]!.triggerUUID]);
      expect(await uuids({ vsn: 'echo', afterTriggerUUID: echoes[1]!.triggerUUID })).toEqual([echoes[0]!.triggerUUID]);
      expect(await uuids({ createdFrom: echoes[1]!.createdAt, createdBefore: echoes[2]!.createdAt })).toEqual([
        echoes[1]!.triggerUUID,
      ]);
      expect(await uuids({ callbackState: 'pending' })).toEqual([done.triggerUUID]);
      expect(await uuids({ callbackState: 'failed' })).toEqual([]);
      const [listed] = await peer.admin.listTriggers({ orgId: 'acme', status: 'succeeded', limit: 1 });
      expect(listed).toMatchObject({ triggerUUID: done.triggerUUID, output: { ok: true }, finishedAt: t0 + 500 });
    });

    test("counts each service's queued and running triggers, and those finished since a moment by how they ended", async () => {
      const { store, peer } = opened;
      await store.createTrigger(newTrigger());
      await store.createTrigger(newTrigger({ orgId: 'globex' }));
      await finished(store, newTrigger({ vsn: 'sleep' }), t0 + 500);
      await finished(store, newTrigger({ vsn: 'sleep' }), t0 - 5000);
      expect(await peer.admin.serviceLoad('acme', t0)).toEqual([
        { vsn: 'echo', queued: 1, running: 0, finished: { succeeded: 0, failed: 0, timed_out: 0 } },
        { vsn: 'sleep', queued: 0, running: 0, finished: { succeeded: 1, failed: 0, timed_out: 0 } },
      ]);
    });

    test("samples each service's queue at a sample's end, and what finished within it and how fast", async () => {
      const { store, peer } = opened;
      await store.createTrigger(newTrigger({ createdAt: t0 + 100 }));
      await store.createTrigger(newTrigger({ orgId: 'globex', createdAt: t0 + 100 }));
      // Started as it is created, so never waiting at a sample's end; it finishes in the second.
      const done = newTrigger({ vsn: 'sleep', createdAt: t0 + 200 });
      await finished(store, done, t0 + 1700);
      const waiting = (sample: number) => ({ vsn: 'echo', sample, queued: 1, finished: 0 });
      expect(await peer.admin.serviceHistory('acme', t0, 1000, 3)).toEqual([
        waiting(0),
        waiting(1),
        waiting(2),
        { vsn: 'sleep', sample: 1, queued: 0, finished: 1, latencyMs: 1500 },
      ]);
    });

    test('resends a delivery: pending and due at once, its attempts kept; refused during an attempt, and elsewhere', async () => {
      const { store, peer } = opened;
      const trigger = newTrigger();
      await finished(store, trigger, t0 + 500);
      const [claimed] = await store.claimDeliveries({ workerId: 'd1', now: t0 + 500, leaseMs: lease, limit: 1 });
      const { deliveryId } = claimed!.delivery;
      const request = { orgId: 'acme', triggerUUID: trigger.triggerUUID, deliveryId, now: t0 + 600 };
      expect(await peer.admin.resendDelivery(request)).toEqual({ outcome: 'in_flight' });
      const failed = { attempt: 1, startedAt: t0 + 500, durationMs: 5, statusCode: 500, error: 'answered 500' };
      await store.deliveries.recordDeliveryAttempt({ deliveryId, workerId: 'd1', attempt: failed, status: 'failed' });

      expect(await peer.admin.resendDelivery({ ...request, orgId: 'globex' })).toEqual({ outcome: 'not_found' });
      expect(await peer.admin.resendDelivery({ ...request, deliveryId: deliveryId + 1000 })).toEqual({
        outcome: 'not_found',
      });
      const resent = await peer.admin.resendDelivery({ ...request, now: t0 + 9000 });
      expect(resent).toEqual({
        outcome: 'resent',
        delivery: expect.objectContaining({
          deliveryId,
          status: 'pending',
          nextAttemptAt: t0 + 9000,
          history: [failed],
        }),
      });
      const [again] = await store.claimDeliveries({ workerId: 'd2', now: t0 + 9000, leaseMs: lease, limit: 1 });
      expect(again?.delivery).toMatchObject({ deliveryId, webhookId: claimed!.delivery.webhookId, attempts: 2 });
    });
  });
}
