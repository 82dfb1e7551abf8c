import { nextAttemptDelay, retryAfterMs } from '../src/callbacks/retry-schedule';
import { durationMs } from '../src/time/duration';

const schedule = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'].map(durationMs);

test('the default schedule: a first attempt, then seven more over about a day', () => {
  expect(schedule).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  expect(schedule.reduce((sum, wait) => sum + wait, 0) / 3_600_000).toBeCloseTo(27.6, 1);
});

test('each wait is spread by up to a fifth either way', () => {
  expect(nextAttemptDelay(schedule, 1, undefined, () => 0)).toBe(4_000);
  expect(nextAttemptDelay(schedule, 1, undefined, () => 0.5)).toBe(5_000);
  expect(nextAttemptDelay(schedule, 1, undefined, () => 0.999999)).toBe(6_000);
  expect(nextAttemptDelay(schedule, 2, undefined, () => 0.5)).toBe(300_000);
  expect(nextAttemptDelay(schedule, 7, undefined, () => 0.5)).toBe(36_000_000);
});

test('after the last attempt there is none', () => {
  expect(nextAttemptDelay(schedule, 8, undefined, () => 0.5)).toBeUndefined();
  expect(nextAttemptDelay([], 1, undefined, () => 0.5)).toBeUndefined();
});

test("a receiver's Retry-After is honoured when longer, up to the schedule's longest wait", () => {
  expect(nextAttemptDelay(schedule, 1, 60_000, () => 0.5)).toBe(60_000);
  expect(nextAttemptDelay(schedule, 1, 1_000, () => 0.5)).toBe(5_000);
  expect(nextAttemptDelay(schedule, 1, 7 * 24 * 3_600_000, () => 0.5)).toBe(36_000_000);
});

test('Retry-After is seconds or an HTTP date', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');
  expect(retryAfterMs('120', now)).toBe(120_000);
  expect(retryAfterMs(' 0 ', now)).toBe(0);
  expect(retryAfterMs('Thu, 01 Jan 2026 12:01:00 GMT', now)).toBe(60_000);
  expect(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
  expect(retryAfterMs('soon', now)).toBeUndefined();
  expect(retryAfterMs(undefined, now)).toBeUndefined();
});

test('durations are whole numbers of ms, s, m or h', () => {
  expect(['150ms', '5s', '30m', '2h'].map(durationMs)).toEqual([150, 5_000, 1_800_000, 7_200_000]);
  expect(() => durationMs('1.5h')).toThrow('Not a duration: 1.5h');
});
