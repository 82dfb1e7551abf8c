import type { IdempotencyReservation, NewTrigger, Storage } from '../../../src';

/** An adapter under test: two handles on the same storage, as two processes would have. */
export interface StorageHandles {
  first: Storage;
  second: Storage;
  close(): Promise<void>;
}

/** Opens a fresh, empty storage for each test. */
export type OpenStorage = () => Promise<StorageHandles>;

/** The handles of the test that runs: `store` and `peer` share one storage, as two processes would. */
export interface Opened {
  store: Storage;
  peer: Storage;
}

export const t0 = Date.parse('2026-01-01T12:00:00.000Z');
export const lease = 1000;
export const urls = ['https://a.example/cb', 'https://b.example/cb?token=1'];
let sequence = 0;

export function newTrigger(overrides: Partial<NewTrigger> = {}): NewTrigger {
  sequence++;
  return {
    triggerUUID: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    orgId: 'acme',
    vsn: 'echo',
    triggerParameters: { key: `value ${sequence}` },
    callbackUrls: ['https://a.example/cb'],
    requestId: `request-${sequence}`,
    createdAt: t0 + sequence,
    ...overrides,
  };
}

export const echo = (concurrency = 10) => [{ orgId: 'acme', vsn: 'echo', concurrency }];

/** Writes a trigger and runs it to its end as worker `w1` would, at `finishedAt`. */
export async function finished(
  store: Storage,
  trigger: NewTrigger,
  finishedAt: number,
  webhookId = `msg_${trigger.triggerUUID}`,
): Promise<void> {
  await store.createTrigger(trigger);
  await store.triggers.claimTriggers({
    workerId: 'w1',
    now: trigger.createdAt,
    leaseMs: lease,
    services: [{ orgId: trigger.orgId, vsn: trigger.vsn, concurrency: 1000 }],
  });
  await store.finishTrigger({
    triggerUUID: trigger.triggerUUID,
    workerId: 'w1',
    status: 'succeeded',
    output: { ok: true },
    finishedAt,
    webhookId,
  });
}

export const reservation = (overrides: Partial<IdempotencyReservation> = {}): IdempotencyReservation => ({
  orgId: 'acme',
  key: 'order-7',
  requestHash: 'hash-a',
  owner: 'request-1',
  now: t0,
  leaseMs: lease,
  retentionMs: 10 * lease,
  ...overrides,
});

/** A suite whose every test gets a fresh storage from `open`, closed after it. */
export function describeStorage(title: string, open: OpenStorage, tests: (opened: Opened) => void): void {
  describe(title, () => {
    const opened = {} as Opened;
    let close: () => Promise<void>;
    beforeEach(async () => {
      const handles = await open();
      opened.store = handles.first;
      opened.peer = handles.second;
      close = () => handles.close();
    });
    afterEach(() => close());
    tests(opened);
  });
}
