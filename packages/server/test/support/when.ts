import type { EventEmitter } from 'node:events';

/**
 * Resolves once `holds()` answers true: asked now, and again at each `event` of `emitter`, so a
 * test waits for a state without polling. Listening starts before the first question, so an event
 * between the two is not missed.
 */
export function when(
  emitter: Pick<EventEmitter, 'on' | 'off'>,
  event: string,
  holds: () => boolean | Promise<boolean>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      Promise.resolve()
        .then(holds)
        .then((held) => {
          if (!held || done) return;
          done = true;
          emitter.off(event, check);
          resolve();
        })
        .catch((error: unknown) => {
          emitter.off(event, check);
          reject(error as Error);
        });
    };
    emitter.on(event, check);
    check();
  });
}
