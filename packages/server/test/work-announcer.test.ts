import type { Pool } from 'pg';
import { WorkAnnouncer } from '../src/storage/postgres/work-announcer';

/** A pool whose NOTIFY statements wait until the test lets each one finish. */
function announcingPool() {
  const sent: { queue: string; finish: (error?: Error) => void }[] = [];
  const pool = {
    query: (_sql: string, [, queue]: [string, string]) =>
      new Promise<void>((resolve, reject) => {
        sent.push({ queue, finish: (error) => (error ? reject(error) : resolve()) });
      }),
  } as unknown as Pool;
  return { pool, sent };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkAnnouncer', () => {
  test('announces each queue at once, and commits made while it is under way once more after it', async () => {
    const { pool, sent } = announcingPool();
    const announcer = new WorkAnnouncer(pool, 'channel');
    announcer.announce('trigger');
    announcer.announce('delivery');
    announcer.announce('trigger');
    announcer.announce('trigger');
    expect(sent.map(({ queue }) => queue)).toEqual(['trigger', 'delivery']);
    sent[0]!.finish();
    await settled();
    expect(sent.map(({ queue }) => queue)).toEqual(['trigger', 'delivery', 'trigger']);
    sent[2]!.finish();
    sent[1]!.finish();
    await settled();
    expect(sent).toHaveLength(3);
  });

  test('a failed announcement is reported, and the next one is sent', async () => {
    const { pool, sent } = announcingPool();
    const errors: Error[] = [];
    const announcer = new WorkAnnouncer(pool, 'channel', (error) => errors.push(error));
    announcer.announce('trigger');
    sent[0]!.finish(new Error('connection lost'));
    await settled();
    expect(errors.map((error) => error.message)).toEqual(['connection lost']);
    announcer.announce('trigger');
    expect(sent).toHaveLength(2);
  });

  test('once closed, announces nothing more, not even what was waiting for its turn', async () => {
    const { pool, sent } = announcingPool();
    const announcer = new WorkAnnouncer(pool, 'channel');
    announcer.announce('trigger');
    announcer.announce('trigger');
    announcer.close();
    announcer.announce('delivery');
    sent[0]!.finish();
    await settled();
    expect(sent.map(({ queue }) => queue)).toEqual(['trigger']);
  });
});
