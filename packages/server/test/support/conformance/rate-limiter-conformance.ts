import type { RateLimiter } from '../../../src/limits/rate-limiter';
import type { VirtualClock } from '../virtual-clock';

/** Two limiters of the same limit, as two processes hold them, and the clock they read. */
export interface LimitersUnderTest {
  clock: VirtualClock;
  first: RateLimiter;
  /** Where the store is shared, another process's limiter; else the same one. */
  second: RateLimiter;
}

const rate = { perSecond: 2, burst: 3 };

/** What every rate limiter promises, where its buckets live. */
export function rateLimiterConformance(name: string, open: () => Promise<LimitersUnderTest>): void {
  describe(`${name} rate limiter`, () => {
    test('a full bucket lets a burst through, then answers how many seconds until the next token', async () => {
      const { first, second } = await open();
      expect(await first.take('client', rate)).toBeUndefined();
      expect(await second.take('client', rate)).toBeUndefined();
      expect(await first.take('client', rate)).toBeUndefined();
      expect(await second.take('client', rate)).toBe(0.5);
      expect(await first.take('client', rate)).toBe(0.5);
    });

    test('tokens flow back at the rate, never past the burst', async () => {
      const { clock, first, second } = await open();
      for (let i = 0; i < 3; i++) await first.take('client', rate);
      await clock.advance(499);
      expect(await second.take('client', rate)).toBeCloseTo(0.001, 6);
      await clock.advance(1);
      expect(await second.take('client', rate)).toBeUndefined();
      // A long quiet spell fills the bucket to its burst, no further.
      await clock.advance(60_000);
      for (let i = 0; i < 3; i++) expect(await (i % 2 ? first : second).take('client', rate)).toBeUndefined();
      expect(await first.take('client', rate)).toBe(0.5);
    });

    test('each key has its own bucket', async () => {
      const { first, second } = await open();
      for (let i = 0; i < 3; i++) await first.take('one', rate);
      expect(await second.take('one', rate)).toBe(0.5);
      expect(await second.take('other', rate)).toBeUndefined();
    });

    test('a token given back can be taken again, by either; never past the burst', async () => {
      const { first, second } = await open();
      for (let i = 0; i < 3; i++) await first.take('client', rate);
      await second.giveBack('client', rate);
      expect(await first.take('client', rate)).toBeUndefined();
      expect(await second.take('client', rate)).toBe(0.5);
      // A full bucket stays full.
      await first.giveBack('fresh', rate);
      for (let i = 0; i < 3; i++) expect(await second.take('fresh', rate)).toBeUndefined();
      expect(await first.take('fresh', rate)).toBe(0.5);
    });
  });
}
