import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src';
import { storeConformance } from './support/store-conformance';

storeConformance('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-store-'));
  const file = join(dir, 'nested', 'store.sqlite');
  // Two connections to one file, as two processes would have.
  const first = new SqliteStore({ file });
  const second = new SqliteStore({ file, busyTimeoutMs: 2000 });
  return {
    first,
    second,
    close: async () => {
      await first.close();
      await second.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite specifics', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autofacilitate-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('the file is in WAL mode', async () => {
    const store = new SqliteStore({ file: join(dir, 'a.sqlite') });
    await store.close();
    const db = new Database(join(dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  test('a database from a newer server is refused, not damaged', async () => {
    const file = join(dir, 'newer.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteStore({ file })).toThrow('The database schema (version 99) is newer than this server knows');
  });

  test('a file that is not a database is refused', async () => {
    const file = join(dir, 'text.sqlite');
    await writeFile(file, 'this is not a database, it is a text file that happens to be long enough');
    expect(() => new SqliteStore({ file })).toThrow();
  });

  test('triggers written at the same moment share one commit, and a bad one fails alone', async () => {
    const store = new SqliteStore({ file: join(dir, 'group.sqlite') });
    const trigger = (n: number) => ({
      triggerUUID: `00000000-0000-4000-8000-00000000000${n}`,
      orgId: 'acme',
      vsn: 'echo',
      triggerParameters: { n: String(n) },
      callbackUrls: [],
      requestId: `r${n}`,
      createdAt: n,
    });
    await store.createTrigger(trigger(1));
    // Issued together: 2 and 3 are new, the second 1 repeats a triggerUUID.
    const outcomes = await Promise.allSettled([store.createTrigger(trigger(2)), store.createTrigger(trigger(1)), store.createTrigger(trigger(3))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.findTrigger('acme', trigger(2).triggerUUID)).toBeDefined();
    expect(await store.findTrigger('acme', trigger(3).triggerUUID)).toBeDefined();
    await store.close();
  });

  test('a write asked for just before close is committed', async () => {
    const file = join(dir, 'closing.sqlite');
    const store = new SqliteStore({ file });
    const written = store.createTrigger({
      triggerUUID: '00000000-0000-4000-8000-000000000009',
      orgId: 'acme',
      vsn: 'echo',
      triggerParameters: {},
      callbackUrls: [],
      requestId: 'r',
      createdAt: 1,
    });
    await store.close();
    await written;
    const reopened = new SqliteStore({ file });
    expect(await reopened.findTrigger('acme', '00000000-0000-4000-8000-000000000009')).toBeDefined();
    await reopened.close();
  });

  test('reopening keeps everything', async () => {
    const file = join(dir, 'b.sqlite');
    const store = new SqliteStore({ file });
    const trigger = {
      triggerUUID: '00000000-0000-4000-8000-000000000001',
      orgId: 'acme',
      vsn: 'echo',
      triggerParameters: {},
      callbackUrls: [],
      requestId: 'r',
      createdAt: 1,
    };
    await store.createTrigger(trigger);
    await store.close();
    const reopened = new SqliteStore({ file });
    expect(await reopened.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ status: 'queued' });
    await reopened.close();
  });
});
