// The second of the last time formatted, as `Date#toISOString` writes it up to its milliseconds:
// times read together (a trigger's, a run's) mostly share it, and formatting a Date costs ~1 µs.
let second = Number.NaN;
let prefix = '';

/** `time` (epoch milliseconds) as `new Date(time).toISOString()` writes it, at a fraction of its cost. */
export function isoTime(time: number): string {
  const milliseconds = time % 1000 < 0 ? (time % 1000) + 1000 : time % 1000;
  const at = time - milliseconds;
  if (at !== second) {
    // ".000Z" off the end; what is left holds for the whole second, whatever the year.
    prefix = new Date(at).toISOString().slice(0, -4);
    second = at;
  }
  return prefix + (milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : '') + milliseconds + 'Z';
}
