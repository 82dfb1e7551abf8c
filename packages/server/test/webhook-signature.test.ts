import { callbackSecretKey, newCallbackSecret } from '../src/callbacks/callback-secret';
import { webhookSignature } from '../src/callbacks/webhook-signature';

// The example of the Standard Webhooks specification (and of Svix's documentation).
const example = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  webhookId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

test("signs as the Standard Webhooks specification's example does", () => {
  const key = callbackSecretKey(example.secret)!;
  expect(webhookSignature([key], example.webhookId, example.timestamp, example.body)).toBe(example.signature);
});

test('signs once per key, space-separated, while a secret is rotated', () => {
  const old = callbackSecretKey(example.secret)!;
  const next = callbackSecretKey(newCallbackSecret())!;
  const signatures = webhookSignature([old, next], example.webhookId, example.timestamp, example.body).split(' ');
  expect(signatures).toHaveLength(2);
  expect(signatures[0]).toBe(example.signature);
  expect(signatures[1]).toBe(webhookSignature([next], example.webhookId, example.timestamp, example.body));
});

test.each([
  ['whsec_ and base64 of 24 bytes', example.secret, 24],
  ['padded base64 of 32 bytes', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwdXBGaGV5UgA=', 32],
  ['unpadded base64 of 32 bytes', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwdXBGaGV5UgA', 32],
])('a secret is %s', (_what, secret, bytes) => {
  expect(callbackSecretKey(secret)?.length).toBe(bytes);
});

test.each([
  ['without the prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  ['too short (16 bytes)', `whsec_${Buffer.alloc(16, 1).toString('base64')}`],
  ['too long (65 bytes)', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
  ['not base64', 'whsec_not*base64*at*all*not*base64*at*all'],
  ['empty', 'whsec_'],
])('a secret %s is refused', (_what, secret) => {
  expect(callbackSecretKey(secret)).toBeUndefined();
});

test('a fresh secret is whsec_ and the base64 of 32 random bytes', () => {
  const secret = newCallbackSecret();
  expect(callbackSecretKey(secret)?.length).toBe(32);
  expect(newCallbackSecret()).not.toBe(secret);
});
