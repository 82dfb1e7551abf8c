/**
 * A source of uniformly distributed numbers in [0, 1), used for backoff jitter. Pass your own
 * (option `random`) to make retry and polling delays deterministic in tests.
 */
export type Random = () => number;

/** The platform's `Math.random`: jitter needs spread, not unpredictability. */
export const systemRandom: Random = () => Math.random();
