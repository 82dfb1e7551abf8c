import { IdempotencyKeyLost } from '../../../src';
import {
  describeStorage,
  t0,
  lease,
  urls,
  newTrigger,
  echo,
  finished,
  reservation,
  type OpenStorage,
  type Records,
} from './storage-fixtures';

/** What every storage adapter promises of the unit of work, and of the storage as a whole. */
export function unitOfWorkConformance(name: string, open: OpenStorage<Records>): void {
  describeStorage(`${name} storage: unit of work`, open, (opened) => {
    test('finishing a trigger queues one delivery per callback URL, in order, under one webhook-id, due at once', async () => {
      const { store, peer } = opened;
      const trigger = newTrigger({ callbackUrls: urls });
      await finished(store, trigger, t0 + 500, 'msg_one');
      const deliveries = await peer.deliveries.findDeliveries(trigger.triggerUUID);
      expect(deliveries).toEqual(
        urls.map((url) => ({
          deliveryId: expect.any(Number),
          webhookId: 'msg_one',
          triggerUUID: trigger.triggerUUID,
          orgId: 'acme',
          url,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: t0 + 500,
          createdAt: t0 + 500,
          history: [],
        })),
      );
      expect((await store.queueStats()).pendingDeliveries).toBe(2);
    });

    test('a trigger without callback URLs, or a finish without the lease, queues none', async () => {
      const { store } = opened;
      const quiet = newTrigger({ callbackUrls: [] });
      await finished(store, quiet, t0 + 500);
      const lost = newTrigger({ callbackUrls: urls });
      await store.createTrigger(lost);
      expect(
        await store.finishTrigger({
          webhookId: 'msg_x',
          triggerUUID: lost.triggerUUID,
          workerId: 'nobody',
          status: 'succeeded',
          finishedAt: t0 + 500,
        }),
      ).toBe(false);
      expect(await store.deliveries.findDeliveries(quiet.triggerUUID)).toEqual([]);
      expect(await store.deliveries.findDeliveries(lost.triggerUUID)).toEqual([]);
    });

    test('a finished trigger is kept while its callback is pending, and goes with its deliveries after', async () => {
      const { store } = opened;
      const trigger = newTrigger({ callbackUrls: ['https://a.example/cb'] });
      await finished(store, trigger, t0 + 500);
      expect((await store.purge(t0 + 10_000, t0)).triggers).toBe(0);
      const [claimed] = await store.claimDeliveries({ workerId: 'd1', now: t0 + 500, leaseMs: lease, limit: 10 });
      await store.deliveries.recordDeliveryAttempt({
        deliveryId: claimed!.delivery.deliveryId,
        workerId: 'd1',
        attempt: { attempt: 1, startedAt: t0 + 500, durationMs: 1, statusCode: 200 },
        status: 'delivered',
      });
      expect((await store.purge(t0 + 10_000, t0)).triggers).toBe(1);
      expect(await store.triggers.findTrigger('acme', trigger.triggerUUID)).toBeUndefined();
      expect(await store.deliveries.findDeliveries(trigger.triggerUUID)).toEqual([]);
    });

    test('purges finished triggers older than the cutoff and expired tokens, nothing else', async () => {
      const { store } = opened;
      const [old, recent, waiting] = [
        newTrigger({ callbackUrls: [] }),
        newTrigger({ callbackUrls: [] }),
        newTrigger({ callbackUrls: [] }),
      ];
      for (const trigger of [old, recent, waiting]) await store.createTrigger(trigger);
      await store.triggers.claimTriggers({ workerId: 'w1', now: t0 + 100, leaseMs: lease, services: echo(2) });
      await store.finishTrigger({
        webhookId: 'msg_test',
        triggerUUID: old.triggerUUID,
        workerId: 'w1',
        status: 'succeeded',
        finishedAt: t0 + 1000,
      });
      await store.finishTrigger({
        webhookId: 'msg_test',
        triggerUUID: recent.triggerUUID,
        workerId: 'w1',
        status: 'succeeded',
        finishedAt: t0 + 3000,
      });
      await store.tokens.saveToken({
        tokenHash: 'gone',
        clientId: 'c',
        orgId: 'acme',
        scope: 's',
        issuedAt: t0,
        expiresAt: t0 + 10,
      });
      await store.tokens.saveToken({
        tokenHash: 'live',
        clientId: 'c',
        orgId: 'acme',
        scope: 's',
        issuedAt: t0,
        expiresAt: t0 + 10_000,
      });

      expect(await store.purge(t0 + 2000, t0 + 20)).toEqual({ triggers: 1, tokens: 1, idempotencyKeys: 0 });
      expect(await store.triggers.findTrigger('acme', old.triggerUUID)).toBeUndefined();
      expect(await store.triggers.findTrigger('acme', recent.triggerUUID)).toMatchObject({
        status: 'succeeded',
        finishedAt: t0 + 3000,
      });
      expect(await store.triggers.findTrigger('acme', waiting.triggerUUID)).toMatchObject({ status: 'queued' });
      expect(await store.tokens.findToken('live', t0 + 20)).toMatchObject({
        tokenHash: 'live',
        expiresAt: t0 + 10_000,
      });
    });

    test('a trigger written under a key its request no longer holds is not written at all', async () => {
      const { store, peer } = opened;
      await store.idempotencyKeys.reserveIdempotencyKey(reservation());
      await peer.idempotencyKeys.reserveIdempotencyKey(reservation({ owner: 'request-2', now: t0 + lease }));
      const trigger = newTrigger();
      await expect(
        store.createTrigger(trigger, { key: 'order-7', owner: 'request-1', response: {} }),
      ).rejects.toBeInstanceOf(IdempotencyKeyLost);
      expect(await store.triggers.findTrigger('acme', trigger.triggerUUID)).toBeUndefined();
      expect(
        await store.idempotencyKeys.reserveIdempotencyKey(reservation({ owner: 'request-5', now: t0 + lease + 1 })),
      ).toEqual({ state: 'in_flight', requestHash: 'hash-a' });
    });

    test('a purge removes the expired Idempotency-Keys, answered or not', async () => {
      const { store } = opened;
      await store.idempotencyKeys.reserveIdempotencyKey(reservation());
      const trigger = newTrigger();
      await store.createTrigger(trigger, { key: 'order-7', owner: 'request-1', response: { ok: true } });
      await store.idempotencyKeys.reserveIdempotencyKey(reservation({ key: 'order-8', owner: 'request-2' }));
      expect(await store.purge(t0, t0 + 10 * lease)).toMatchObject({ idempotencyKeys: 2 });
    });

    test('answers a ping', async () => {
      const { store } = opened;
      await expect(store.ping()).resolves.toBeUndefined();
    });

    test('counts the unfinished triggers by organisation and state, and the pending deliveries', async () => {
      const { store, peer } = opened;
      await finished(store, newTrigger({ callbackUrls: urls }), t0 + 500);
      for (const trigger of [newTrigger(), newTrigger({ orgId: 'globex' })]) await store.createTrigger(trigger);
      expect(await peer.queueStats()).toEqual({
        triggers: [
          { orgId: 'acme', status: 'queued', count: 1 },
          { orgId: 'globex', status: 'queued', count: 1 },
        ],
        pendingDeliveries: 2,
      });
    });
  });
}
