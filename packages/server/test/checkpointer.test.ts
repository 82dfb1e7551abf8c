import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Checkpointer } from '../src/storage/sqlite/checkpointer';
import { VirtualClock } from './support/virtual-clock';

describe('Checkpointer', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autofacilitate-checkpointer-'));
    file = join(dir, 'wal.sqlite');
    // As the storage opens its file: WAL, and no checkpoint by the writing connection.
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE items (n INTEGER)');
    const insert = db.prepare<[number]>('INSERT INTO items (n) VALUES (?)');
    for (let n = 0; n < 100; n++) insert.run(n);
  });

  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** What the database file holds without its WAL. */
  async function rowsInDatabaseFile(): Promise<number> {
    const copy = join(dir, 'copy.sqlite');
    await copyFile(file, copy);
    const opened = new Database(copy, { readonly: true });
    try {
      return opened.prepare<[], number>('SELECT count(*) FROM items').pluck().get()!;
    } finally {
      opened.close();
    }
  }

  test('copies the WAL into the database file from its own thread', async () => {
    const checkpointer = new Checkpointer({
      file,
      intervalMs: 60_000,
      busyTimeoutMs: 100,
      clock: new VirtualClock(),
      onExit: () => undefined,
    });
    try {
      const reply = await checkpointer.checkpoint();
      expect(reply).toEqual({ busy: 0, log: expect.any(Number), checkpointed: expect.any(Number) });
      const { log, checkpointed } = reply as { log: number; checkpointed: number };
      expect(log).toBeGreaterThan(0);
      expect(checkpointed).toBe(log);
      expect(await rowsInDatabaseFile()).toBe(100);
    } finally {
      await checkpointer.stop();
    }
  });

  test('checkpoints every interval, on virtual time', async () => {
    // Only the interval runs on the virtual clock; the thread's replies come at their own pace.
    const clock = new VirtualClock();
    const interval = jest.spyOn(clock, 'setInterval');
    const checkpointer = new Checkpointer({
      file,
      intervalMs: 500,
      busyTimeoutMs: 100,
      clock,
      onExit: () => undefined,
    });
    const checkpoint = jest.spyOn(checkpointer, 'checkpoint');
    try {
      await clock.advance(499);
      expect(checkpoint).not.toHaveBeenCalled();
      await clock.advance(1);
      expect(checkpoint).toHaveBeenCalledTimes(1);
      expect(await checkpoint.mock.results[0]!.value).toMatchObject({ busy: 0 });
      expect(await rowsInDatabaseFile()).toBe(100);
      // While a checkpoint runs, the next tick asks for none behind it: two ticks with no turn of
      // the event loop between them, so the first one's reply cannot have come.
      const tick = interval.mock.calls[0]![0];
      tick();
      tick();
      expect(checkpoint).toHaveBeenCalledTimes(2);
      await checkpoint.mock.results[1]!.value;
      await clock.advance(500);
      expect(checkpoint).toHaveBeenCalledTimes(3);
    } finally {
      await checkpointer.stop();
    }
    // Stopped: no more ticks.
    await clock.advance(5000);
    expect(checkpoint).toHaveBeenCalledTimes(3);
  });

  test('stop ends the thread, tells onExit, and answers later checkpoints with nothing', async () => {
    const onExit = jest.fn();
    const checkpointer = new Checkpointer({
      file,
      intervalMs: 60_000,
      busyTimeoutMs: 100,
      clock: new VirtualClock(),
      onExit,
    });
    await checkpointer.stop();
    expect(onExit).toHaveBeenCalledTimes(1);
    await expect(checkpointer.checkpoint()).resolves.toBeUndefined();
  });

  test('a thread that cannot open the file ends, and onExit lets the storage checkpoint itself again', async () => {
    let exited!: () => void;
    const exit = new Promise<void>((resolve) => (exited = resolve));
    const checkpointer = new Checkpointer({
      file: join(dir, 'missing', 'folder', 'wal.sqlite'),
      intervalMs: 60_000,
      busyTimeoutMs: 100,
      clock: new VirtualClock(),
      onExit: () => exited(),
    });
    const answer = checkpointer.checkpoint();
    await exit;
    await expect(answer).resolves.toBeUndefined();
    await checkpointer.stop();
  });
});
