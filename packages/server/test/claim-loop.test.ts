import { ClaimLoop } from '../src/work/claim-loop';
import { VirtualClock } from './support/virtual-clock';
import { when } from './support/when';
import { EventEmitter } from 'node:events';

/** A loop over a queue of numbered jobs, recording its claims and what it was told. */
function loopOver(clock: VirtualClock, { batch = 10, pollIntervalMs = 1000, during = () => undefined as void } = {}) {
  const queue: number[] = [];
  const claims: number[][] = [];
  const failures: unknown[] = [];
  const events = new EventEmitter();
  let failNext: Error | undefined;
  const loop: ClaimLoop = new ClaimLoop({
    clock,
    pollIntervalMs,
    claim: async () => {
      if (failNext) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      const claimed = queue.splice(0, batch);
      claims.push(claimed);
      during();
      events.emit('claimed');
      return claimed.length === batch;
    },
    claimFailed: (error) => {
      failures.push(error);
      events.emit('claimed');
    },
  });
  return {
    loop,
    queue,
    claims,
    failures,
    failNext: (error: Error) => (failNext = error),
    /** Resolves once `count` claims were made (or failed). */
    claimed: (count: number) => when(events, 'claimed', () => claims.length + failures.length >= count),
  };
}

test('claims at start, then every poll interval', async () => {
  const clock = new VirtualClock();
  const { loop, queue, claims, claimed } = loopOver(clock);
  loop.start();
  await claimed(1);
  queue.push(1);
  await clock.advance(999);
  expect(claims).toEqual([[]]);
  await clock.advance(1);
  await claimed(2);
  expect(claims).toEqual([[], [1]]);
  await loop.stop(0);
});

test('wake-ups in a burst make one claim', async () => {
  const clock = new VirtualClock();
  const { loop, queue, claims, claimed } = loopOver(clock);
  loop.start();
  await claimed(1);
  queue.push(1, 2);
  loop.wake();
  loop.wake();
  loop.wake();
  await claimed(2);
  await clock.advance(0);
  expect(claims).toEqual([[], [1, 2]]);
  await loop.stop(0);
});

test('a wake-up during a claim makes one more claim after it', async () => {
  const clock = new VirtualClock();
  const { loop, queue, claims, claimed } = loopOver(clock, {
    during: () => {
      if (claims.length !== 1) return;
      queue.push(1);
      loop.wake();
    },
  });
  loop.start();
  await claimed(2);
  expect(claims).toEqual([[], [1]]);
  await loop.stop(0);
});

test('a full batch is followed by another claim at once', async () => {
  const clock = new VirtualClock();
  const { loop, queue, claims, claimed } = loopOver(clock, { batch: 2 });
  queue.push(1, 2, 3, 4, 5);
  loop.start();
  await claimed(3);
  expect(claims).toEqual([[1, 2], [3, 4], [5]]);
  await loop.stop(0);
});

test('a failed claim is reported, and the next wake-up claims again', async () => {
  const clock = new VirtualClock();
  const { loop, queue, claims, failures, failNext, claimed } = loopOver(clock);
  failNext(new Error('disk I/O error'));
  queue.push(1);
  loop.start();
  await claimed(1);
  expect(failures).toEqual([new Error('disk I/O error')]);
  loop.wake();
  await claimed(2);
  expect(claims).toEqual([[1]]);
  await loop.stop(0);
});

test('wakeAt claims when the time comes; the earliest of several wins', async () => {
  const clock = new VirtualClock();
  const { loop, claims, claimed } = loopOver(clock, { pollIntervalMs: 60_000 });
  loop.start();
  await claimed(1);
  loop.wakeAt(clock.now() + 500);
  loop.wakeAt(clock.now() + 200);
  await clock.advance(199);
  expect(claims).toHaveLength(1);
  await clock.advance(1);
  await claimed(2);
  await clock.advance(1000);
  expect(claims).toHaveLength(2);
  await loop.stop(0);
});

test('work run through the loop is counted until it ends, then the loop claims again', async () => {
  const clock = new VirtualClock();
  const { loop, claims, claimed } = loopOver(clock, { pollIntervalMs: 60_000 });
  loop.start();
  await claimed(1);
  let finish = () => undefined as void;
  loop.run(() => new Promise<void>((resolve) => (finish = resolve)));
  expect(loop.size).toBe(1);
  finish();
  await claimed(2);
  expect(loop.size).toBe(0);
  expect(claims).toHaveLength(2);
  await loop.stop(0);
});

test('stop claims no more, waits for the work within the grace period and cuts the rest short', async () => {
  const clock = new VirtualClock();
  const { loop, queue, claims, claimed } = loopOver(clock);
  loop.start();
  await claimed(1);
  const reasons: unknown[] = [];
  const endsAt = (ms: number) => (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      clock.setTimeout(resolve, ms);
      signal.addEventListener('abort', () => resolve(void reasons.push(signal.reason)));
    });
  loop.run(endsAt(100));
  loop.run(endsAt(5000));
  const stopped = loop.stop(1000);
  queue.push(1);
  loop.wake();
  await clock.advance(1000);
  expect(await stopped).toBe(1);
  expect(reasons).toEqual([new Error('the server is stopping')]);
  expect(claims).toEqual([[]]);
});
