/** A duration as a configuration writes it: a whole number and a unit, `150ms`, `5s`, `30m`, `2h`. */
export const durationPattern = '^[0-9]+(ms|s|m|h)$';

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds of a duration matching {@link durationPattern}. */
export function durationMs(duration: string): number {
  const match = /^([0-9]+)(ms|s|m|h)$/.exec(duration);
  if (!match) throw new Error(`Not a duration: ${duration} (write e.g. 150ms, 5s, 30m or 2h)`);
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
