import { rm } from 'node:fs/promises';
import { createServer } from '../src';
import { CallerCache } from '../src/auth/caller-cache';
import { hashApiKey, hashClientSecret } from '../src/auth/secret-hash';
import { execute, type Caller } from './support/api-client';
import { testConfig } from './support/test-config';
import { noNames, startTestServer } from './support/test-server';
import { VirtualClock } from './support/virtual-clock';

const body = { triggerParameters: { key: 'value' } };

test('a token let in a moment ago stops working the millisecond it expires', async () => {
  const clock = new VirtualClock();
  const server = await startTestServer(
    (raw) => {
      raw.workers.enabled = false;
      raw.tokens = { ttlSeconds: 3600 };
    },
    { clock },
  );
  try {
    const acme = await server.acme();
    await clock.advance(3600_000 - 30_000);
    expect((await execute(server.url, 'acme', 'echo', acme, body)).status).toBe(200);
    await clock.advance(30_000 - 1);
    expect((await execute(server.url, 'acme', 'echo', acme, body)).status).toBe(200);
    await clock.advance(1);
    const refused = await execute(server.url, 'acme', 'echo', acme, body);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
  } finally {
    await server.close();
  }
});

test('the same token with another API key, or another path, is checked as such', async () => {
  const server = await startTestServer((raw) => {
    raw.workers.enabled = false;
  });
  try {
    const acme = await server.acme();
    const globex = await server.globex();
    expect((await execute(server.url, 'acme', 'echo', acme, body)).status).toBe(200);
    const otherKey = await execute(server.url, 'acme', 'echo', { token: acme.token, apiKey: globex.apiKey! }, body);
    expect(otherKey.status).toBe(401);
    expect(otherKey.headers.get('refused-credential')).toBe('api-key');
    expect((await execute(server.url, 'globex', 'echo', acme, body)).status).toBe(404);
    expect((await execute(server.url, 'acme', 'echo', acme, body)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('a rotated API key, and the tokens of a client taken out, fail from the restart that takes them out of the configuration', async () => {
  const rotatedKey = 'acme-rotated-api-key-0123456789';
  const first = await startTestServer((raw) => {
    raw.workers.enabled = false;
  });
  let acme: Caller;
  let globex: Caller;
  try {
    acme = await first.acme();
    globex = await first.globex();
    // Let in twice: the second time as a caller known lately.
    for (let i = 0; i < 2; i++) {
      expect((await execute(first.url, 'acme', 'echo', acme, body)).status).toBe(200);
      expect((await execute(first.url, 'globex', 'echo', globex, body)).status).toBe(200);
    }
  } finally {
    await first.server.close();
  }

  // The same store; acme's key rotated, globex's client replaced by another.
  const otherSecretHash = await hashClientSecret('other secret');
  const config = await testConfig(first.dir, (raw) => {
    raw.workers.enabled = false;
    raw.organisations.acme.apiKeys = { next: { hash: hashApiKey(rotatedKey) } };
    raw.organisations.globex.clients = { 'globex-other-client': { secretHash: otherSecretHash } };
  });
  const second = await createServer(config, { resolver: noNames });
  try {
    const url = await second.listen();
    const oldKey = await execute(url, 'acme', 'echo', acme, body);
    expect(oldKey.status).toBe(401);
    expect(oldKey.headers.get('refused-credential')).toBe('api-key');
    expect((await execute(url, 'acme', 'echo', { token: acme.token, apiKey: rotatedKey }, body)).status).toBe(200);
    const removedClient = await execute(url, 'globex', 'echo', globex, body);
    expect(removedClient.status).toBe(401);
    expect(removedClient.headers.get('www-authenticate')).toContain('error="invalid_token"');
  } finally {
    await second.close();
    await rm(first.dir, { recursive: true, force: true });
  }
});

describe('the pair a connection presented last', () => {
  const caller = { orgId: 'acme', clientId: 'acme-client', apiKey: 'main', until: 1000 };
  const [first, second] = [{}, {}];

  test('is known on its connection and, by its digest, on another, until the caller may no longer be believed', () => {
    const callers = new CallerCache();
    expect(callers.known(first, 'key', 'Bearer token', 0)).toBeUndefined();
    callers.remember(first, 'key', 'Bearer token', caller);
    expect(callers.known(first, 'key', 'Bearer token', 999)).toBe(caller);
    expect(callers.known(second, 'key', 'Bearer token', 999)).toBe(caller);
    expect(callers.known(first, 'key', 'Bearer token', 1000)).toBeUndefined();
    expect(callers.known(second, 'key', 'Bearer token', 1000)).toBeUndefined();
    expect(callers.known({}, 'key', 'Bearer token', 999)).toBeUndefined();
  });

  test('another pair on the same connection is not known, and the first stays known', () => {
    const callers = new CallerCache();
    callers.remember(first, 'key', 'Bearer token', caller);
    expect(callers.known(first, 'other key', 'Bearer token', 0)).toBeUndefined();
    expect(callers.known(first, 'key', 'Bearer other token', 0)).toBeUndefined();
    expect(callers.known(first, 'key', 'Bearer token', 0)).toBe(caller);
  });
});
