import { DrainRate } from '../src/limits/drain-rate';
import { VirtualClock } from './support/virtual-clock';

test('counts finished triggers per second over the last ten seconds, per organisation', async () => {
  const clock = new VirtualClock(Date.parse('2026-01-01T12:00:00.000Z'));
  const drain = new DrainRate(clock);
  expect(drain.perSecond('acme')).toBeUndefined();
  // Ten a second for twenty seconds, then half a second without: the window reaches back nine and
  // a half seconds, to the start of its oldest bucket (second 11); seconds 11 to 19 hold ten each,
  // second 20 the one at 20.0.
  for (let tenth = 0; tenth < 200; tenth++) {
    await clock.advance(100);
    drain.finished('acme');
  }
  await clock.advance(500);
  expect(drain.perSecond('acme')).toBeCloseTo(91 / 9.5);
  expect(drain.perSecond('globex')).toBeUndefined();
  expect([...drain.rates()]).toEqual([['acme', 91 / 9.5]]);
  // Ten seconds without a finish: nothing measured.
  await clock.advance(10_000);
  expect(drain.perSecond('acme')).toBeUndefined();
  expect([...drain.rates()]).toEqual([]);
});

test('measures from the start, or from the last restart, when that is nearer than ten seconds', async () => {
  const clock = new VirtualClock();
  const drain = new DrainRate(clock);
  await clock.advance(2000);
  drain.finished('acme');
  expect(drain.perSecond('acme')).toBe(0.5);
  await clock.advance(60_000);
  drain.restart('acme');
  await clock.advance(250);
  drain.finished('acme');
  expect(drain.perSecond('acme')).toBe(4);
  // Finishes in the instant of the restart read as fast, not as nothing.
  drain.restart('acme');
  drain.finished('acme');
  expect(drain.perSecond('acme')).toBe(1000);
});
