import { sleep } from '../src/time/sleep';
import { withinTurn } from '../src/work/within-turn';
import { VirtualClock } from './support/virtual-clock';

test('resolves once its time has passed on the clock, not before', async () => {
  const clock = new VirtualClock();
  let slept = false;
  const sleeping = sleep(clock, 1000, new AbortController().signal).then(() => (slept = true));
  await clock.advance(999);
  expect(slept).toBe(false);
  await clock.advance(1);
  await sleeping;
  expect(slept).toBe(true);
});

test('rejects with the reason of its signal, at once, and leaves no timer behind', async () => {
  const clock = new VirtualClock();
  const stop = new AbortController();
  const sleeping = sleep(clock, 60_000, stop.signal);
  stop.abort(new Error('timed out'));
  await expect(sleeping).rejects.toThrow('timed out');
  expect(clock.timeouts).toBe(0);
  await expect(sleep(clock, 10, stop.signal)).rejects.toThrow('timed out');
});

test('sleeping 0 ms resolves within the turn, with no timer', async () => {
  const clock = new VirtualClock();
  const sleeping = sleep(clock, 0, new AbortController().signal);
  expect(clock.timeouts).toBe(0);
  expect(await withinTurn(sleeping)).toBe(true);
  // A real wait does not end within the turn.
  expect(await withinTurn(sleep(clock, 1, new AbortController().signal))).toBe(false);
});
