/**
 * Whether `work` settles within this turn of the event loop (its promises resolve one after the
 * other, with no I/O or timer in between): true then, false once the next turn begins without it.
 */
export function withinTurn(work: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const nextTurn = setImmediate(() => resolve(false));
    work.then(
      () => {
        clearImmediate(nextTurn);
        resolve(true);
      },
      () => {
        clearImmediate(nextTurn);
        resolve(true);
      },
    );
  });
}
