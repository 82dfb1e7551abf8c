import { RateLimiter } from '../src/limits/rate-limiter';
import { VirtualClock } from './support/virtual-clock';

const rate = { perSecond: 2, burst: 3 };

test('a full bucket lets a burst through, then answers how many seconds until the next token', () => {
  const limiter = new RateLimiter(new VirtualClock());
  for (let i = 0; i < 3; i++) expect(limiter.take('client', rate)).toBeUndefined();
  expect(limiter.take('client', rate)).toBe(0.5);
});

test('tokens flow back at the rate, never past the burst', async () => {
  const clock = new VirtualClock();
  const limiter = new RateLimiter(clock);
  for (let i = 0; i < 3; i++) limiter.take('client', rate);
  await clock.advance(499);
  expect(limiter.take('client', rate)).toBeCloseTo(0.001, 6);
  await clock.advance(1);
  expect(limiter.take('client', rate)).toBeUndefined();
  // A long quiet spell fills the bucket to its burst, no further.
  await clock.advance(60_000);
  for (let i = 0; i < 3; i++) expect(limiter.take('client', rate)).toBeUndefined();
  expect(limiter.take('client', rate)).toBe(0.5);
});

test('each key has its own bucket', () => {
  const limiter = new RateLimiter(new VirtualClock());
  for (let i = 0; i < 3; i++) limiter.take('one', rate);
  expect(limiter.take('one', rate)).toBe(0.5);
  expect(limiter.take('other', rate)).toBeUndefined();
});
