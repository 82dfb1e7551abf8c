import { connect as netConnect, Socket } from 'node:net';
import type { ClientRequestArgs } from 'node:http';
import { AddressGuard } from '../src/callbacks/address-guard';
import { unreachableCallbackUrl } from '../src/callbacks/callback-url-checks';
import { CallbackTransport, type Connect } from '../src/callbacks/callback-transport';
import { CallbackFailure } from '../src/errors/catalogue';
import { systemClock } from '../src/time/clock';
import type { Resolver } from '../src';
import { execute } from './support/api-client';
import { startReceiver, type CallbackReceiver } from './support/callback-receiver';
import { deliveriesSettled } from './support/server-events';
import { startTestServer } from './support/test-server';

// No test here sends a packet anywhere but 127.0.0.0/8: names resolve through the test's own
// resolver, and every connection goes through a `connect` that refuses any other address (and
// records what it was asked for), so even a broken guard could not reach the network.

let receiver: CallbackReceiver;

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(() => receiver.close());

/** A resolver answering from a table, counting its lookups. */
function resolverOf(table: Record<string, string[]>): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    resolve: async (hostname) => {
      lookups.push(hostname);
      const addresses = table[hostname];
      if (!addresses) throw Object.assign(new Error(`no such name: ${hostname}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}

/** Connects to 127.0.0.0/8 only, recording every address it was asked to connect to. */
function loopbackOnly(): Connect & { targets: string[] } {
  const targets: string[] = [];
  const connect = (options: ClientRequestArgs) => {
    const host = String(options.host);
    targets.push(host);
    if (/^127\./.test(host)) return netConnect({ host, port: Number(options.port) });
    const socket = new Socket();
    process.nextTick(() => socket.destroy(new Error(`the test refuses to connect to ${host}`)));
    return socket;
  };
  return Object.assign(connect, { targets });
}

// On the wall clock: every attempt here ends over a real socket well before its timeout.
function transport(allow: string[], resolver: Resolver, connect: Connect) {
  return new CallbackTransport({
    resolver,
    clock: systemClock,
    guard: new AddressGuard(allow),
    maxSockets: 4,
    connect,
  });
}

function post(through: CallbackTransport, url: string) {
  return through.send({
    url,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: 2000,
    signal: new AbortController().signal,
  });
}

async function refusal(attempt: Promise<unknown>): Promise<CallbackFailure> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CallbackFailure);
  return error as CallbackFailure;
}

describe('the address guard', () => {
  const guard = new AddressGuard([]);

  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['fc00::1', 'unique local'],
  ])('refuses %s, a %s address', (address, range) => {
    expect(guard.refusal(address)).toMatch(new RegExp(`is an? ${range.replace(/[()]/g, '\\$&')} address$`));
  });

  test.each([
    ['::ffff:127.0.0.1', '127.0.0.1 is a loopback address'],
    ['::ffff:7f00:1', '127.0.0.1 is a loopback address'],
    ['::ffff:10.0.0.1', '10.0.0.1 is a private address'],
    ['::ffff:169.254.169.254', '169.254.169.254 is a link-local address'],
  ])('reads the IPv4-mapped %s as the IPv4 address it maps', (address, reason) => {
    expect(guard.refusal(address)).toBe(reason);
  });

  test.each([
    ['64:ff9b::a00:1', '64:ff9b::a00:1 is a rfc6052 address'],
    ['2002:a00:1::1', '2002:a00:1::1 is a 6to4 address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:0:4136:e378:8000:63bf:3fff:fdd2 is a teredo address'],
    ['::127.0.0.1', '127.0.0.1 is a loopback address'],
    ['100::1', '100::1 is a discard address'],
  ])('refuses %s, an IPv6 address that embeds or is not a global one', (address, reason) => {
    expect(guard.refusal(address)).toBe(reason);
  });

  test.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('lets the public address %s through', (address) => {
    expect(guard.refusal(address)).toBeUndefined();
  });

  test('lets the configured ranges through, and only those', () => {
    const allowing = new AddressGuard(['10.1.0.0/16', '127.0.0.1', 'fd00::/8']);
    expect(allowing.refusal('10.1.2.3')).toBeUndefined();
    expect(allowing.refusal('10.2.0.1')).toBe('10.2.0.1 is a private address');
    expect(allowing.refusal('127.0.0.1')).toBeUndefined();
    expect(allowing.refusal('::ffff:127.0.0.1')).toBeUndefined();
    expect(allowing.refusal('127.0.0.2')).toBe('127.0.0.2 is a loopback address');
    expect(allowing.refusal('fd12::1')).toBeUndefined();
  });
});

describe('a callback is refused without any connection', () => {
  test.each([
    ['http://10.0.0.1/cb', '10.0.0.1 is a private address'],
    ['https://10.0.0.1/cb', '10.0.0.1 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[::ffff:127.0.0.1]:PORT/cb', '127.0.0.1 is a loopback address'],
    ['http://2130706433:PORT/cb', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001:PORT/cb', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1:PORT/cb', '127.0.0.1 is a loopback address'],
    [
      'http://localhost.test:PORT/cb',
      'localhost.test resolves only to addresses not to call (127.0.0.1 is a loopback address)',
    ],
    [
      'http://metadata.test/cb',
      'metadata.test resolves only to addresses not to call (169.254.169.254 is a link-local address)',
    ],
    [
      'http://split.test:PORT/cb',
      'split.test resolves only to addresses not to call (10.0.0.1 is a private address, 127.0.0.1 is a loopback address)',
    ],
  ])('%s', async (template, reason) => {
    const connect = loopbackOnly();
    const resolver = resolverOf({
      'localhost.test': ['127.0.0.1'],
      'metadata.test': ['169.254.169.254'],
      'split.test': ['10.0.0.1', '127.0.0.1'],
    });
    const through = transport([], resolver, connect);
    const failure = await refusal(post(through, template.replace('PORT', String(receiver.port))));
    through.close();
    expect(failure).toMatchObject({ kind: 'refused', message: `refused: ${reason}` });
    expect(connect.targets).toEqual([]);
    expect(receiver.connections()).toBe(0);
  });
});

describe('unless allowed', () => {
  test.each([
    'http://127.0.0.1:PORT/cb',
    'http://[::ffff:127.0.0.1]:PORT/cb',
    'http://2130706433:PORT/cb',
    'http://localhost.test:PORT/cb',
  ])('%s reaches the receiver when 127.0.0.1 is allowed, connected to as 127.0.0.1', async (template) => {
    const connect = loopbackOnly();
    const through = transport(['127.0.0.1/32'], resolverOf({ 'localhost.test': ['127.0.0.1'] }), connect);
    const answer = await post(through, template.replace('PORT', String(receiver.port)));
    through.close();
    expect(answer.statusCode).toBe(204);
    expect(connect.targets).toEqual(['127.0.0.1']);
    expect(receiver.received.map((callback) => callback.path)).toEqual(['/cb']);
  });

  test('the receiver sees the name it was called by in Host', async () => {
    const through = transport(['127.0.0.1/32'], resolverOf({ 'hooks.example.test': ['127.0.0.1'] }), loopbackOnly());
    await post(through, `http://hooks.example.test:${receiver.port}/cb`);
    through.close();
    expect(receiver.received[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });
});

test('DNS rebinding cannot get round the guard: the host is resolved once, and the address checked is the one connected to', async () => {
  // The first answer is public and passes; a second lookup would say 127.0.0.1.
  let answers = 0;
  const rebinding: Resolver & { lookups: number } = {
    lookups: 0,
    resolve: async () => {
      rebinding.lookups++;
      return [{ address: answers++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    },
  };
  const connect = loopbackOnly();
  const through = transport([], rebinding, connect);
  const failure = await refusal(post(through, `http://rebind.test:${receiver.port}/cb`));
  through.close();
  expect(failure.kind).toBe('network');
  expect(rebinding.lookups).toBe(1);
  expect(connect.targets).toEqual(['93.184.216.34']);
  expect(receiver.connections()).toBe(0);
});

test('a name that does not resolve fails the attempt as a network error', async () => {
  const through = transport([], resolverOf({}), loopbackOnly());
  const failure = await refusal(post(through, 'http://nowhere.test/cb'));
  through.close();
  expect(failure).toMatchObject({ kind: 'network', message: 'nowhere.test could not be resolved (ENOTFOUND)' });
});

describe('through the server', () => {
  test('execute refuses a callback URL whose host is an address the server may not call, however it is written (422)', async () => {
    const server = await startTestServer();
    try {
      const acme = await server.acme();
      const answer = await execute(server.url, 'acme', 'echo', acme, {
        callbackUrls: [
          'http://10.0.0.1/cb',
          'http://169.254.169.254/',
          'http://[::ffff:127.0.0.1]/cb',
          'http://[::ffff:7f00:1]/cb',
          'https://hooks.example.com/cb',
        ],
      });
      expect(answer.status).toBe(422);
      expect(answer.json.errors).toEqual([
        {
          scope: 'body.callbackUrls[0]',
          reason: 'Unprocessable Entity',
          message:
            'Callbacks are not delivered there: 10.0.0.1 is a private address: callbacks.allow must list 10.0.0.1/32 to call it',
        },
        {
          scope: 'body.callbackUrls[1]',
          reason: 'Unprocessable Entity',
          message:
            'Callbacks are not delivered there: 169.254.169.254 is a link-local address: callbacks.allow must list 169.254.169.254/32 to call it',
        },
        {
          scope: 'body.callbackUrls[2]',
          reason: 'Unprocessable Entity',
          message:
            'Callbacks are not delivered there: 127.0.0.1 is a loopback address: callbacks.allow must list 127.0.0.1/32 to call it',
        },
        {
          scope: 'body.callbackUrls[3]',
          reason: 'Unprocessable Entity',
          message:
            'Callbacks are not delivered there: 127.0.0.1 is a loopback address: callbacks.allow must list 127.0.0.1/32 to call it',
        },
      ]);
      // An address written as one number is no host the spec's pattern admits: refused as malformed.
      const numeric = await execute(server.url, 'acme', 'echo', acme, { callbackUrls: ['http://2130706433/cb'] });
      expect(numeric.status).toBe(400);
      expect(numeric.json.errors[0].scope).toBe('body.callbackUrls[0]');
    } finally {
      await server.close();
    }
  });

  test('a name resolving to 127.0.0.1 is accepted, then refused for good at its first attempt, without a connection and not retried; allowed, it is delivered', async () => {
    const resolver = resolverOf({ 'hooks.internal.test': ['127.0.0.1'] });
    const refusing = await startTestServer(undefined, { resolver, connect: loopbackOnly() });
    let triggerUUID: string;
    try {
      const acme = await refusing.acme();
      const answer = await execute(refusing.url, 'acme', 'echo', acme, {
        callbackUrls: [`http://hooks.internal.test:${receiver.port}/cb`],
      });
      expect(answer.status).toBe(200);
      triggerUUID = answer.json.triggerUUID;
      const [delivery] = await deliveriesSettled(refusing.server, triggerUUID);
      expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
      expect(delivery!.history.map(({ error, retryAt }) => [error, retryAt])).toEqual([
        [
          'refused: hooks.internal.test resolves only to addresses not to call (127.0.0.1 is a loopback address)',
          undefined,
        ],
      ]);
    } finally {
      await refusing.close();
    }
    expect(receiver.connections()).toBe(0);

    const allowing = await startTestServer(
      (raw) => {
        raw.callbacks.allow = ['127.0.0.1/32'];
      },
      { resolver, connect: loopbackOnly() },
    );
    try {
      const acme = await allowing.acme();
      await execute(allowing.url, 'acme', 'echo', acme, {
        callbackUrls: [`http://hooks.internal.test:${receiver.port}/cb`],
      });
      const [callback] = await receiver.waitFor(1);
      expect(callback!.headers.host).toBe(`hooks.internal.test:${receiver.port}`);
    } finally {
      await allowing.close();
    }
  });
});

describe('special-use names', () => {
  test('a private network name is left to delivery once the configuration allows a private range', () => {
    const refusing = new AddressGuard([]);
    const allowing = new AddressGuard(['192.168.0.0/16']);
    expect(unreachableCallbackUrl('http://printer.local/cb', refusing)).toMatch(/names a host of a private network/);
    expect(unreachableCallbackUrl('http://printer.local/cb', allowing)).toBeUndefined();
    expect(unreachableCallbackUrl('http://nowhere.invalid/cb', allowing)).toBe(
      'nowhere.invalid never resolves (RFC 6761 §6.4)',
    );
    expect(unreachableCallbackUrl('https://hooks.example.com/cb', refusing)).toBeUndefined();
  });
});
