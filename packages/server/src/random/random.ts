/**
 * Where the server draws numbers that need not be secret, such as the jitter of retry delays, so
 * tests can fix them. Like `Math.random`: uniform in [0, 1).
 */
export type Random = () => number;

/** `Math.random`. */
export const mathRandom: Random = () => Math.random();
