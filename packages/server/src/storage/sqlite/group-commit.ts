import type Database from 'better-sqlite3';

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** Settles a batch's promises: resolved, or rejected with `error`. */
export type Settle = (error?: unknown) => void;

/** What one group commit waits to write: written in the turn's transaction, or alone should that fail. */
export interface Waiting {
  /** Runs the writes; the returned function settles their promises once committed. */
  write(): Settle;
  /** Writes each item in its own transaction, settling each promise. */
  writeEach(): void;
}

/** How a {@link CommitTurn} makes its commits durable, when the connection's own commits do not. */
export interface TurnDurability {
  /** Runs a transaction's writes without waiting for the disk. */
  relaxed<T>(write: () => T): T;
  /** Resolves once what was committed before the call is on the disk. */
  sync(): Promise<void>;
}

/**
 * The group commits of one connection: whatever they all wait for at the start of a turn is
 * committed in one transaction, so new triggers, finished runs and callback attempts of the same
 * moment pay for one commit (one fsync) between them. With a {@link TurnDurability}, the commit
 * does not wait for the disk and the fsync runs off the event loop, the promises settled once it
 * is done: the turns that commit meanwhile share the next.
 */
export class CommitTurn {
  readonly #groups: { take(): Waiting | undefined }[] = [];
  readonly #writeAll: Database.Transaction<(waiting: Waiting[]) => Settle[]>;
  readonly #durability: TurnDurability | undefined;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(db: Database.Database, durability?: TurnDurability) {
    this.#writeAll = db.transaction((waiting: Waiting[]) => waiting.map((group) => group.write()));
    this.#durability = durability;
  }

  /** Adds a group commit to the turn. */
  join(group: { take(): Waiting | undefined }): void {
    this.#groups.push(group);
  }

  /** Commits at the start of the next turn of the event loop. */
  schedule(): void {
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Commits what every group waits for now. */
  flush(): void {
    clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const waiting = this.#groups.map((group) => group.take()).filter((group) => group !== undefined);
    if (waiting.length === 0) return;
    let settle: Settle[];
    try {
      const durability = this.#durability;
      settle = durability
        ? durability.relaxed(() => this.#writeAll.immediate(waiting))
        : this.#writeAll.immediate(waiting);
    } catch {
      // One bad write must not fail the others: each is tried again alone, in its own transaction.
      for (const group of waiting) group.writeEach();
      return;
    }
    if (!this.#durability) return settle.forEach((done) => done());
    this.#durability.sync().then(
      () => settle.forEach((done) => done()),
      // Committed but perhaps not on the disk: the callers are told it failed, as a failed commit would.
      (error: unknown) => settle.forEach((done) => done(error)),
    );
  }
}

/**
 * Group commit: the writes asked for during one turn of the event loop are committed in one
 * transaction at the start of the next (with those of the other group commits of its
 * {@link CommitTurn}), so many requests pay for one commit. Each caller's promise resolves only
 * once its write is committed, so nothing is answered before it is stored.
 */
export class GroupCommit<T, R> {
  #pending: Pending<T, R>[] = [];
  readonly #turn: CommitTurn;
  readonly #write: (item: T) => R;
  readonly #writeOne: Database.Transaction<(item: T) => R>;

  /**
   * @param write - one item's write; it may take several statements, and throw to undo them all.
   * @param turn - shared with the connection's other group commits; one of its own when absent.
   */
  constructor(db: Database.Database, write: (item: T) => R, turn = new CommitTurn(db)) {
    this.#write = write;
    this.#writeOne = db.transaction(write);
    this.#turn = turn;
    turn.join(this);
  }

  /** Resolves with what the write returned, once it is committed. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#turn.schedule();
    });
  }

  /** Commits what is waiting now (with the rest of its turn). */
  flush(): void {
    this.#turn.flush();
  }

  /** For its {@link CommitTurn}: takes what waits, if anything. */
  take(): Waiting | undefined {
    const batch = this.#pending;
    if (batch.length === 0) return undefined;
    this.#pending = [];
    return {
      write: () => {
        const results = batch.map(({ item }) => this.#write(item));
        return (error) =>
          batch.forEach(({ resolve, reject }, index) =>
            error === undefined ? resolve(results[index]!) : reject(error),
          );
      },
      writeEach: () => {
        for (const { item, resolve, reject } of batch) {
          try {
            resolve(this.#writeOne.immediate(item));
          } catch (error) {
            reject(error);
          }
        }
      },
    };
  }
}
