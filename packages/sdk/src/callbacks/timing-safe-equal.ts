/**
 * Compares two byte strings in time that depends only on their length, so a forger cannot learn
 * a signature byte by byte from how fast wrong guesses are refused. Signatures have a fixed,
 * public length, so returning early on a length mismatch tells nothing.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= (a[index] as number) ^ (b[index] as number);
  return difference === 0;
}
