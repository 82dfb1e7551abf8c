import { drainWithin, type Cancellable } from '../src/work/drain';
import { VirtualClock } from './support/virtual-clock';

/** Work that ends after `ms` of virtual time, or at once when stopped. */
function work(clock: VirtualClock, ms: number): Cancellable & { stoppedWith?: unknown } {
  const stop = new AbortController();
  const underWay: Cancellable & { stoppedWith?: unknown } = { stop, done: Promise.resolve() };
  underWay.done = new Promise<void>((resolve) => {
    const timer = clock.setTimeout(resolve, ms);
    stop.signal.addEventListener('abort', () => {
      underWay.stoppedWith = stop.signal.reason;
      clock.clearTimeout(timer);
      resolve();
    });
  });
  return underWay;
}

test('nothing under way: done at once, without waiting for the grace period', async () => {
  expect(await drainWithin(new VirtualClock(), 60_000, () => [])).toBe(0);
});

test('work that finishes within the grace period is waited for, not cut short', async () => {
  const clock = new VirtualClock();
  const underWay = new Set([work(clock, 100), work(clock, 900)]);
  for (const each of underWay) void each.done.then(() => underWay.delete(each));
  const drained = drainWithin(clock, 1000, () => [...underWay]);
  await clock.advance(900);
  expect(await drained).toBe(0);
});

test('work still running when the grace period ends is stopped, and waited for', async () => {
  const clock = new VirtualClock();
  const quick = work(clock, 100);
  const slow = work(clock, 5000);
  const underWay = new Set([quick, slow]);
  for (const each of underWay) void each.done.then(() => underWay.delete(each));
  let ended = false;
  const drained = drainWithin(clock, 1000, () => [...underWay]).finally(() => (ended = true));
  await clock.advance(999);
  expect(ended).toBe(false);
  await clock.advance(1);
  // Only the work left after the grace period is cut short.
  expect(await drained).toBe(1);
  expect(quick.stoppedWith).toBeUndefined();
  expect(slow.stoppedWith).toEqual(new Error('the server is stopping'));
});

test('no grace period cuts everything short at once', async () => {
  const clock = new VirtualClock();
  const slow = work(clock, 5000);
  expect(await drainWithin(clock, 0, () => [slow])).toBe(1);
  expect(slow.stoppedWith).toBeInstanceOf(Error);
});
