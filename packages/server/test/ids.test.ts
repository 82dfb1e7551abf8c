import { randomIds } from '../src/random/ids';

test('webhook-ids drawn in blocks from the random source are each fresh, 128 bits in base64url', () => {
  // 1,000 ids span four blocks of the random source.
  const ids = Array.from({ length: 1000 }, () => randomIds.webhookId());
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
});
