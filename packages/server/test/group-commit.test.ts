import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CommitTurn, GroupCommit } from '../src/storage/sqlite/group-commit';
import { leaseWrites } from '../src/storage/sqlite/lease-writes';
import { WalSync } from '../src/storage/sqlite/wal-sync';

describe('GroupCommit', () => {
  let dir: string;
  let db: Database.Database;
  // A second connection, as another process would have: it sees only what is committed.
  let reader: Database.Database;
  let insert: Database.Statement<[number]>;
  const committed = () => reader.prepare<[], number>('SELECT count(*) FROM items').pluck().get();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autofacilitate-group-commit-'));
    db = new Database(join(dir, 'group.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE items (n INTEGER PRIMARY KEY)');
    insert = db.prepare<[number]>('INSERT INTO items (n) VALUES (?)');
    reader = new Database(join(dir, 'group.sqlite'), { readonly: true });
  });

  afterEach(async () => {
    reader.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('commits the writes asked for in one turn together, at the start of the next, and resolves once they are', async () => {
    const seen: number[] = [];
    const commit = new GroupCommit(db, (n: number) => {
      seen.push(committed()!);
      insert.run(n);
      return n * 10;
    });
    const written = [commit.add(1), commit.add(2), commit.add(3)];
    expect(seen).toEqual([]);
    expect(await Promise.all(written)).toEqual([10, 20, 30]);
    // No write saw another committed: the three shared one transaction.
    expect(seen).toEqual([0, 0, 0]);
    expect(committed()).toBe(3);
  });

  test('writes asked for in a later turn are committed on their own', async () => {
    const seen: number[] = [];
    const commit = new GroupCommit(db, (n: number) => {
      seen.push(committed()!);
      insert.run(n);
    });
    await commit.add(1);
    await commit.add(2);
    expect(seen).toEqual([0, 1]);
  });

  test('a write that throws fails alone, undone; the others are committed', async () => {
    const commit = new GroupCommit(db, (n: number) => {
      insert.run(n);
      if (n === 2) throw new Error('refused 2');
    });
    const outcomes = await Promise.allSettled([commit.add(1), commit.add(2), commit.add(3)]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: undefined },
      { status: 'rejected', reason: new Error('refused 2') },
      { status: 'fulfilled', value: undefined },
    ]);
    expect(reader.prepare('SELECT n FROM items ORDER BY n').pluck().all()).toEqual([1, 3]);
  });

  test('flush commits what waits at once, without waiting for the next turn', async () => {
    const commit = new GroupCommit(db, (n: number) => insert.run(n).changes);
    const written = commit.add(1);
    commit.flush();
    expect(committed()).toBe(1);
    expect(await written).toBe(1);
    // Nothing is left to commit at the next turn, and flushing nothing does nothing.
    commit.flush();
    expect(committed()).toBe(1);
  });

  test('group commits sharing a turn commit together; a bad write fails alone, the other group is committed', async () => {
    const turn = new CommitTurn(db);
    const seen: number[] = [];
    const write = (n: number) => {
      seen.push(committed()!);
      insert.run(n);
      if (n === 5) throw new Error('refused 5');
      return n;
    };
    const triggers = new GroupCommit(db, write, turn);
    const finishes = new GroupCommit(db, write, turn);
    expect(await Promise.all([triggers.add(1), finishes.add(2), triggers.add(3)])).toEqual([1, 2, 3]);
    // One transaction for both groups: no write saw another committed.
    expect(seen).toEqual([0, 0, 0]);
    const outcomes = await Promise.allSettled([triggers.add(4), finishes.add(5)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect(reader.prepare('SELECT n FROM items ORDER BY n').pluck().all()).toEqual([1, 2, 3, 4]);
  });

  test("with its fsync off the event loop, a turn's writes are committed at once and answered once synced, or fail with the sync", async () => {
    db.pragma('synchronous = FULL');
    const syncs: { done: (error?: Error) => void }[] = [];
    const sync = () =>
      new Promise<void>((resolve, reject) => syncs.push({ done: (error) => (error ? reject(error) : resolve()) }));
    const turn = new CommitTurn(db, { relaxed: leaseWrites(db), sync });
    const commit = new GroupCommit(db, (n: number) => insert.run(n).changes, turn);
    let answered = false;
    const written = commit.add(1).then((changes) => ((answered = true), changes));
    commit.flush();
    // Committed without waiting for the disk, and the connection back at FULL for other writes.
    expect(committed()).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    syncs[0]!.done();
    expect(await written).toBe(1);
    const failed = commit.add(2);
    commit.flush();
    syncs[1]!.done(new Error('EIO'));
    await expect(failed).rejects.toThrow('EIO');
  });

  test("WalSync syncs the database's WAL file, the syncs asked for meanwhile sharing the next", async () => {
    insert.run(1);
    const wal = new WalSync(join(dir, 'group.sqlite-wal'));
    const first = wal.sync();
    const [second, third] = [wal.sync(), wal.sync()];
    expect(second).toBe(third);
    await Promise.all([first, second, third]);
    await wal.close();
    // A file that cannot be opened fails its sync, and is opened again for the next.
    const later = new WalSync(join(dir, 'later-wal'));
    await expect(later.sync()).rejects.toThrow(/ENOENT/);
    await writeFile(join(dir, 'later-wal'), '');
    await later.sync();
    await later.close();
  });
});
