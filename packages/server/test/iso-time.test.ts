import { isoTime } from '../src/time/iso-time';

describe('isoTime', () => {
  // Times around the cached second's edges, before 1970, and at the ends of the years Date writes.
  const times = [
    0,
    1,
    999,
    1000,
    1001,
    -1,
    -999,
    -1000,
    -1001,
    Date.UTC(2026, 10, 30, 1, 1, 59, 7),
    Date.UTC(2026, 10, 30, 1, 1, 59, 77),
    Date.UTC(2026, 10, 30, 1, 1, 59, 999),
    Date.UTC(2026, 10, 30, 1, 2, 0, 0),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(10000, 0, 1),
    Date.UTC(-1, 0, 1, 0, 0, 0, 5),
    8.64e15,
  ];

  test.each(times)('writes %d as Date#toISOString does', (time) => {
    expect(isoTime(time)).toBe(new Date(time).toISOString());
  });

  test('writes times of one second, of another, and of the first again alike', () => {
    const second = Date.UTC(2026, 10, 30, 1, 1, 59);
    for (const time of [second + 5, second + 6, second + 1005, second + 7, second - 1]) {
      expect(isoTime(time)).toBe(new Date(time).toISOString());
    }
  });
});
