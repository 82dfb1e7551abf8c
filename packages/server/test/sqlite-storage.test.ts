import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../src';
import { claimSql } from '../src/storage/sqlite/trigger-claim';
import { newTrigger, t0 } from './support/conformance/storage-fixtures';
import { storageConformance } from './support/storage-conformance';

storageConformance('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'autofacilitate-store-'));
  const file = join(dir, 'nested', 'store.sqlite');
  // Two connections to one file, as two processes would have.
  const first = new SqliteStorage({ file });
  const second = new SqliteStorage({ file, busyTimeoutMs: 2000 });
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
    const store = new SqliteStorage({ file: join(dir, 'a.sqlite') });
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
    expect(() => new SqliteStorage({ file })).toThrow(
      'The database schema (version 99) is newer than this server knows',
    );
  });

  test('a file that is not a database is refused', async () => {
    const file = join(dir, 'text.sqlite');
    await writeFile(file, 'this is not a database, it is a text file that happens to be long enough');
    expect(() => new SqliteStorage({ file })).toThrow();
  });

  test('triggers written at the same moment share one commit, and a bad one fails alone', async () => {
    const store = new SqliteStorage({ file: join(dir, 'group.sqlite') });
    const [one, two, three] = [newTrigger(), newTrigger(), newTrigger()];
    await store.createTrigger(one);
    // Issued together: two and three are new, the second one repeats a triggerUUID.
    const outcomes = await Promise.allSettled([
      store.createTrigger(two),
      store.createTrigger(one),
      store.createTrigger(three),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.triggers.findTrigger('acme', two.triggerUUID)).toMatchObject({ ...two, status: 'queued' });
    expect(await store.triggers.findTrigger('acme', three.triggerUUID)).toMatchObject({ ...three, status: 'queued' });
    await store.close();
  });

  test('a write asked for just before close is committed', async () => {
    const file = join(dir, 'closing.sqlite');
    const store = new SqliteStorage({ file });
    const trigger = newTrigger();
    const written = store.createTrigger(trigger);
    await store.close();
    await written;
    const reopened = new SqliteStorage({ file });
    expect(await reopened.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({
      ...trigger,
      status: 'queued',
    });
    await reopened.close();
  });

  test('reopening keeps everything', async () => {
    const file = join(dir, 'b.sqlite');
    const store = new SqliteStorage({ file });
    const trigger = newTrigger();
    await store.createTrigger(trigger);
    await store.close();
    const reopened = new SqliteStorage({ file });
    expect(await reopened.triggers.findTrigger('acme', trigger.triggerUUID)).toMatchObject({ status: 'queued' });
    await reopened.close();
  });

  test('a claim reads the queue in order from its index, never sorting it, at any queue length', async () => {
    const file = join(dir, 'plans.sqlite');
    const store = new SqliteStorage({ file });
    // A long queue, a few running and many finished, with the planner's statistics gathered.
    const triggers = Array.from({ length: 3000 }, () => newTrigger());
    await Promise.all(triggers.map((trigger) => store.createTrigger(trigger)));
    const services = [{ orgId: 'acme', vsn: 'echo', concurrency: 1000 }];
    const running = await store.triggers.claimTriggers({ workerId: 'w1', now: t0, leaseMs: 1000, services });
    await Promise.all(
      running.slice(0, 990).map(({ triggerUUID }) =>
        store.finishTrigger({
          triggerUUID,
          workerId: 'w1',
          status: 'succeeded',
          finishedAt: t0 + 1,
          webhookId: 'm',
        }),
      ),
    );
    await store.close();
    const db = new Database(file);
    db.exec('ANALYZE');
    const step = { workerId: 'w2', now: 0, leaseExpiresAt: 1000, orgId: 'acme', vsn: 'echo', free: 4 };
    for (const sql of Object.values(claimSql)) {
      const plan = db
        .prepare<[typeof step], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(step)
        .map((row) => row.detail);
      expect(plan.filter((detail) => /^(SCAN|SEARCH) triggers /.test(detail))).not.toHaveLength(0);
      for (const detail of plan) {
        expect(detail).not.toMatch(/TEMP B-TREE|^SCAN triggers/);
        if (detail.startsWith('SEARCH triggers USING'))
          expect(detail).toMatch(
            /INDEX triggers_claim \(org_id=\? AND vsn=\? AND status=\?|PRIMARY KEY|sqlite_autoindex_triggers_1/,
          );
      }
    }
    db.close();
  });
});
