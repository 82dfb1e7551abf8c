import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes what was committed without waiting for the disk durable: it syncs the WAL file on libuv's
 * thread pool, so the event loop goes on meanwhile, and the commits made while one sync runs
 * share the next. A commit in the WAL is on the disk once the file is.
 */
export class WalSync {
  readonly #file: string;
  #handle: Promise<FileHandle> | undefined;
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  /** @param file - the WAL file (the database's, with `-wal`); it must exist by the first sync. */
  constructor(file: string) {
    this.#file = file;
  }

  /** Resolves once everything committed before the call is on the disk. */
  sync(): Promise<void> {
    if (!this.#running) return this.#start();
    // The sync under way may have begun before this commit: the next one covers it.
    this.#next ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.#start();
      });
    return this.#next;
  }

  /** Waits for the syncs asked for, then lets go of the file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#next]);
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle) await (await handle).close();
  }

  #start(): Promise<void> {
    // Opened for writing: some systems sync only files open so. A failed open is tried again next time.
    this.#handle ??= open(this.#file, 'r+').catch((error: unknown) => {
      this.#handle = undefined;
      throw error;
    });
    const running = this.#handle
      .then((handle) => handle.sync())
      .finally(() => {
        if (this.#running === running) this.#running = undefined;
      });
    this.#running = running;
    return running;
  }
}
