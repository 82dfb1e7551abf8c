import type { IdempotencyReservation, NewTrigger, Storage } from '../../../src';

/** A storage without the admin reads: what the suites of the aggregates and the unit of work need. */
export type Records = Omit<Storage, 'admin'>;

/** An adapter under test: two handles on the same storage, as two processes would have. */
export interface StorageHandles<S extends Records = Storage> {
  first: S;
  second: S;
  close(): Promise<void>;
}

/** Opens a fresh, empty storage for each test. */
export type OpenStorage<S extends Records = Storage> = () => Promise<StorageHandles<S>>;

/** The handles of the test that runs: `store` and `peer` share one storage, as two processes would. */
export interface Opened<S extends Records = Storage> {
  store: S;
  peer: S;
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
  store: Records,
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
export function describeStorage<S extends Records>(
  title: string,
  open: OpenStorage<S>,
  tests: (opened: Opened<S>) => void,
): void {
  describe(title, () => {
    const opened = {} as Opened<S>;
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
