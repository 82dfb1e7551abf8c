import { CallbackVerificationError, createTestCallback, parseCallback, verifyCallback } from '@autofacilitate/sdk';

// The Standard Webhooks specification's published test vector: matching it means callbacks from
// any conforming sender verify here, and test callbacks made here verify with any conforming library.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRET = 'whsec_' + btoa('a 24-byte callback secret');
const OLD_SECRET = 'whsec_' + btoa('the secret being rotated');
const NOW = new Date('2026-01-01T12:00:00Z');

const trigger = {
  triggerUUID: '0b7f4f1e-3c51-4d5e-9a0c-5f1f0e2a7b3d',
  vsn: 'ServerName',
  status: 'succeeded',
  output: { key: 'value' },
  createdAt: '2026-01-01T11:59:59.000Z',
  finishedAt: '2026-01-01T11:59:59.500Z',
};
const envelope = { type: 'trigger.finished', timestamp: '2026-01-01T11:59:59.600Z', data: trigger };

describe('the Standard Webhooks test vector', () => {
  test('createTestCallback signs it exactly', async () => {
    const callback = await createTestCallback(VECTOR.body, VECTOR.secret, {
      id: VECTOR.id,
      timestamp: new Date(VECTOR.timestamp * 1000),
    });
    expect(callback.headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    });
  });

  test('its signature is accepted (then its body, not a trigger, is refused as a payload)', async () => {
    const headers = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    const error = await verifyCallback(VECTOR.body, headers, VECTOR.secret, {
      now: new Date(VECTOR.timestamp * 1000),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalid_payload' });
  });
});

describe('verifyCallback', () => {
  test('accepts a signed callback and reads it', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { id: 'msg_1', timestamp: NOW });
    const callback = await verifyCallback(body, headers, SECRET, { now: NOW });
    expect(callback).toEqual({
      id: 'msg_1',
      signedAt: NOW,
      type: 'trigger.finished',
      timestamp: new Date(envelope.timestamp),
      trigger: {
        status: 'succeeded',
        done: true,
        triggerUUID: trigger.triggerUUID,
        vsn: 'ServerName',
        output: { key: 'value' },
        createdAt: new Date(trigger.createdAt),
        finishedAt: new Date(trigger.finishedAt),
      },
    });
  });

  test('accepts the body as bytes, and fetch Headers', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    const bytes = new TextEncoder().encode(body);
    await expect(verifyCallback(bytes, new Headers(headers), SECRET, { now: NOW })).resolves.toMatchObject({
      trigger: { status: 'succeeded' },
    });
    await expect(verifyCallback(bytes.buffer, new Headers(headers), SECRET, { now: NOW })).resolves.toMatchObject({
      type: 'trigger.finished',
    });
  });

  test('accepts Node-style headers: any case, repeated headers as arrays', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    const node = {
      'Webhook-Id': headers['webhook-id'],
      'webhook-timestamp': headers['webhook-timestamp'],
      'webhook-signature': ['v1,bm90IGl0', headers['webhook-signature']],
      'x-other': undefined,
    };
    await expect(verifyCallback(body, node, SECRET, { now: NOW })).resolves.toMatchObject({
      id: headers['webhook-id'],
    });
  });

  test('a changed body is refused', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    const changed = body.replace('"succeeded"', '"failed"');
    await expect(verifyCallback(changed, headers, SECRET, { now: NOW })).rejects.toMatchObject({
      name: 'CallbackVerificationError',
      reason: 'no_matching_signature',
    });
  });

  test('a re-serialised body is refused too: pass the raw body', async () => {
    const { headers } = await createTestCallback('{ "a" : 1 }', SECRET, { timestamp: NOW });
    await expect(verifyCallback(JSON.stringify({ a: 1 }), headers, SECRET, { now: NOW })).rejects.toMatchObject({
      reason: 'no_matching_signature',
    });
    await expect(verifyCallback({ a: 1 } as never, headers, SECRET, { now: NOW })).rejects.toThrow(/raw body/);
  });

  test('another secret is refused', async () => {
    const { body, headers } = await createTestCallback(envelope, OLD_SECRET, { timestamp: NOW });
    await expect(verifyCallback(body, headers, SECRET, { now: NOW })).rejects.toBeInstanceOf(CallbackVerificationError);
  });

  test('during a rotation, either secret is accepted', async () => {
    const old = await createTestCallback(envelope, OLD_SECRET, { timestamp: NOW });
    const current = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    await expect(verifyCallback(old.body, old.headers, [SECRET, OLD_SECRET], { now: NOW })).resolves.toBeDefined();
    await expect(
      verifyCallback(current.body, current.headers, [SECRET, OLD_SECRET], { now: NOW }),
    ).resolves.toBeDefined();
  });

  test('a sender signing with both secrets (space-separated signatures) is accepted by either', async () => {
    const a = await createTestCallback(envelope, OLD_SECRET, { id: 'msg_r', timestamp: NOW });
    const b = await createTestCallback(envelope, SECRET, { id: 'msg_r', timestamp: NOW });
    const headers = {
      ...b.headers,
      'webhook-signature': `${a.headers['webhook-signature']} ${b.headers['webhook-signature']}`,
    };
    await expect(verifyCallback(b.body, headers, SECRET, { now: NOW })).resolves.toBeDefined();
    await expect(verifyCallback(b.body, headers, OLD_SECRET, { now: NOW })).resolves.toBeDefined();
  });

  test('the secret may be given without its prefix, or as bytes', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    await expect(verifyCallback(body, headers, SECRET.slice('whsec_'.length), { now: NOW })).resolves.toBeDefined();
    await expect(
      verifyCallback(body, headers, new TextEncoder().encode('a 24-byte callback secret'), { now: NOW }),
    ).resolves.toBeDefined();
  });

  test.each([
    ['five minutes old', -300, true],
    ['just over five minutes old', -301, false],
    ['five minutes ahead', 300, true],
    ['just over five minutes ahead', 301, false],
  ])('a timestamp %s: accepted %p', async (_, offsetSeconds, accepted) => {
    const { body, headers } = await createTestCallback(envelope, SECRET, {
      timestamp: new Date(NOW.getTime() + offsetSeconds * 1000),
    });
    const verifying = verifyCallback(body, headers, SECRET, { now: NOW });
    if (accepted) await expect(verifying).resolves.toBeDefined();
    else await expect(verifying).rejects.toMatchObject({ reason: 'timestamp_out_of_tolerance' });
  });

  test('the tolerance can be changed', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET, {
      timestamp: new Date(NOW.getTime() - 60_000),
    });
    await expect(verifyCallback(body, headers, SECRET, { now: NOW, toleranceSeconds: 30 })).rejects.toMatchObject({
      reason: 'timestamp_out_of_tolerance',
    });
  });

  test.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'a missing %s is refused',
    async (name) => {
      const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
      const rest: Record<string, string> = { ...headers };
      delete rest[name];
      await expect(verifyCallback(body, rest, SECRET, { now: NOW })).rejects.toMatchObject({
        reason: 'missing_header',
      });
    },
  );

  test.each(['yesterday', '-5', '1.5e9'])('a webhook-timestamp of %j is refused', async (timestamp) => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    await expect(
      verifyCallback(body, { ...headers, 'webhook-timestamp': timestamp }, SECRET, { now: NOW }),
    ).rejects.toMatchObject({ reason: 'invalid_timestamp' });
  });

  test.each(['v2,abc', 'v1,', 'garbage', 'v1,!!!'])('a webhook-signature of %j matches nothing', async (signature) => {
    const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
    await expect(
      verifyCallback(body, { ...headers, 'webhook-signature': signature }, SECRET, { now: NOW }),
    ).rejects.toMatchObject({ reason: 'no_matching_signature' });
  });

  test.each([['not base64 at all!'], [''], [[]]])(
    'an unusable secret (%p) is a programming error, not a refused callback',
    async (secret) => {
      const { body, headers } = await createTestCallback(envelope, SECRET, { timestamp: NOW });
      await expect(verifyCallback(body, headers, secret as never, { now: NOW })).rejects.toThrow(TypeError);
    },
  );

  test('by default the timestamp is checked against the real time', async () => {
    const { body, headers } = await createTestCallback(envelope, SECRET);
    await expect(verifyCallback(body, headers, SECRET)).resolves.toBeDefined();
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{24}$/);
  });
});

describe('parseCallback', () => {
  test('reads a bare trigger body too', () => {
    const failed = { ...trigger, status: 'failed', output: undefined, error: { reason: 'Service failed' } };
    expect(parseCallback(JSON.stringify(failed))).toEqual({
      trigger: {
        status: 'failed',
        done: true,
        triggerUUID: trigger.triggerUUID,
        vsn: 'ServerName',
        error: { reason: 'Service failed' },
        createdAt: new Date(trigger.createdAt),
        finishedAt: new Date(trigger.finishedAt),
      },
    });
  });

  test.each([
    ['not JSON', 'nope'],
    ['not UTF-8', new Uint8Array([0xff, 0xfe])],
    ['an array', '[1]'],
    ['no trigger ids', JSON.stringify({ status: 'succeeded' })],
    ['an unknown status', JSON.stringify({ ...trigger, status: 'exploded' })],
  ])('%s is an invalid_payload', (_, body) => {
    expect(() => parseCallback(body)).toThrow(
      expect.objectContaining({ name: 'CallbackVerificationError', reason: 'invalid_payload' }),
    );
  });
});
