import type Database from 'better-sqlite3';

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes asked for during one turn of the event loop are committed in one
 * transaction at the start of the next, so many requests pay for one commit. Each caller's promise
 * resolves only once its write is committed, so nothing is answered before it is stored.
 */
export class GroupCommit<T, R> {
  #pending: Pending<T, R>[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  readonly #writeAll: Database.Transaction<(batch: Pending<T, R>[]) => R[]>;
  readonly #writeOne: Database.Transaction<(item: T) => R>;

  /** @param write - one item's write; it may take several statements, and throw to undo them all. */
  constructor(db: Database.Database, write: (item: T) => R) {
    this.#writeAll = db.transaction((batch: Pending<T, R>[]) => batch.map(({ item }) => write(item)));
    this.#writeOne = db.transaction(write);
  }

  /** Resolves with what the write returned, once it is committed. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what is waiting now. */
  flush(): void {
    clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    let results: R[];
    try {
      results = this.#writeAll.immediate(batch);
    } catch {
      // One bad write must not fail the others: each is tried again alone, in its own transaction.
      for (const { item, resolve, reject } of batch) {
        try {
          resolve(this.#writeOne.immediate(item));
        } catch (error) {
          reject(error);
        }
      }
      return;
    }
    batch.forEach(({ resolve }, index) => resolve(results[index]!));
  }
}
