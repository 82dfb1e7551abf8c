import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type RawConfig } from './support/test-config';
import { ConfigError, createServer, hashApiKey, hashClientSecret, loadConfig } from '../src';
import { verifyClientSecret } from '../src/auth/secret-hash';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autofacilitate-config-'));
});

afterEach(() => rm(dir, { recursive: true, force: true }));

async function fileWith(content: unknown, name = 'config.yaml'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : stringify(content));
  return file;
}

async function minimal(): Promise<RawConfig> {
  return {
    organisations: {
      acme: {
        clients: { 'acme-client': { secretHash: await hashClientSecret('s3cret') } },
        apiKeys: { main: { hash: hashApiKey('the-key') } },
        services: { echo: { kind: 'echo' } },
      },
    },
  };
}

async function problemsOf(content: unknown, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const file = await fileWith(content);
  const error = await loadConfig(file, env).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

test('a minimal file gets every default', async () => {
  const config = await loadConfig(await fileWith(await minimal()), {});
  expect(config).toMatchObject({
    server: {
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      logFormat: 'auto',
      trustProxy: false,
      shutdownGraceMs: 10000,
      requestTimeoutMs: 30000,
      headersTimeoutMs: 10000,
      keepAliveTimeoutMs: 72000,
    },
    storage: {
      sqlite: { file: join(dir, 'data', 'autofacilitate.sqlite'), synchronous: 'FULL', busyTimeoutMs: 5000 },
      postgres: { poolSize: 10 },
    },
    tokens: { ttlSeconds: 3600 },
    results: { retentionSeconds: 604800, purgeIntervalSeconds: 60 },
    workers: { enabled: true, leaseMs: 30000, pollIntervalMs: 1000, maxAttempts: 3 },
    usage: { flushIntervalMs: 1000 },
    limits: {
      bodyBytes: 1048576,
      outputBytes: 1048576,
      executeRate: { perSecond: 50, burst: 100 },
      queuedTriggers: 10000,
      failedAuthentications: { perSecond: 0.2, burst: 10 },
    },
    idempotency: { retentionSeconds: 86400 },
    callbacks: {
      enabled: true,
      timeoutMs: 10000,
      concurrency: 16,
      pollIntervalMs: 1000,
      retrySchedule: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'],
      allow: [],
    },
    testing: { faultInjection: false },
  });
  expect(config.organisations.acme?.services.echo).toEqual({
    kind: 'echo',
    timeoutMs: 30000,
    concurrency: 4,
    requiredParameters: [],
  });
});

test('a JSON file is read too', async () => {
  const config = await loadConfig(await fileWith(JSON.stringify(await minimal()), 'config.json'), {});
  expect(Object.keys(config.organisations)).toEqual(['acme']);
});

test('relative paths are resolved against the folder of the file', async () => {
  const raw = await minimal();
  raw.storage = { sqlite: { file: '../elsewhere/db.sqlite' } };
  raw.organisations.acme.services.custom = { kind: 'module', module: 'custom.js' };
  await writeFile(join(dir, 'custom.js'), 'export async function run() {}\n');
  const config = await loadConfig(await fileWith(raw), {});
  expect(config.storage.sqlite.file).toBe(join(dir, '..', 'elsewhere', 'db.sqlite'));
  expect(config.organisations.acme?.services.custom).toMatchObject({ module: join(dir, 'custom.js') });
});

test('an organisation or service the API paths cannot name stops start-up', async () => {
  const raw = await minimal();
  raw.organisations.acme.services['s'.repeat(129)] = { kind: 'echo' };
  raw.organisations['o'.repeat(129)] = { clients: {}, apiKeys: {}, services: {} };
  const message = await problemsOf(raw);
  expect(message).toContain(
    `organisations.acme.services.${'s'.repeat(129)}: the API's paths carry names of 1 to 128 characters`,
  );
  expect(message).toContain(`organisations.${'o'.repeat(129)}: the API's paths carry names of 1 to 128 characters`);
  expect(message).not.toContain('must NOT have more than');
});

test('a module that is not there', async () => {
  const raw = await minimal();
  raw.organisations.acme.services.custom = { kind: 'module', module: 'services/custom.js' };
  expect(await problemsOf(raw)).toContain(
    `organisations.acme.services.custom.module: no such file: ${join(dir, 'services', 'custom.js')}`,
  );
});

test('environment variables override the secrets in the file', async () => {
  const config = await loadConfig(await fileWith(await minimal()), {
    AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT: 'from-the-environment',
    AUTOFACILITATE_API_KEY_ACME_MAIN: 'key-from-the-environment',
  });
  const client = config.organisations.acme!.clients['acme-client']!;
  expect(await verifyClientSecret('from-the-environment', client.secretHash)).toBe(true);
  expect(await verifyClientSecret('s3cret', client.secretHash)).toBe(false);
  expect(config.organisations.acme!.apiKeys.main!.hash).toBe(hashApiKey('key-from-the-environment'));
});

test('a secret may come from the environment only', async () => {
  const raw = await minimal();
  raw.organisations.acme.clients['acme-client'] = {};
  raw.organisations.acme.apiKeys.main = {};
  const config = await loadConfig(await fileWith(raw), {
    AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT: 'x',
    AUTOFACILITATE_API_KEY_ACME_MAIN: 'y',
  });
  expect(await verifyClientSecret('x', config.organisations.acme!.clients['acme-client']!.secretHash)).toBe(true);
  expect(config.organisations.acme!.apiKeys.main!.hash).toBe(hashApiKey('y'));
  const message = await problemsOf(raw);
  expect(message).toContain(
    'organisations.acme.clients.acme-client.secretHash: missing (or set the environment variable AUTOFACILITATE_CLIENT_SECRET_ACME_CLIENT)',
  );
  expect(message).toContain(
    'organisations.acme.apiKeys.main.hash: missing (or set the environment variable AUTOFACILITATE_API_KEY_ACME_MAIN)',
  );
});

test('SQLite is the store unless a PostgreSQL URL is given, in the file or in the environment', async () => {
  expect((await loadConfig(await fileWith(await minimal()), {})).storage.postgres.url).toBeUndefined();
  const raw = await minimal();
  raw.storage = { postgres: { url: 'postgres://app@db.internal:5432/autofacilitate', poolSize: 20 } };
  expect((await loadConfig(await fileWith(raw), {})).storage.postgres).toEqual({
    url: 'postgres://app@db.internal:5432/autofacilitate',
    poolSize: 20,
  });
  // The variable carries the password, so the file need not.
  const fromEnv = 'postgresql://app:s3cret@db.internal/autofacilitate?sslmode=require';
  const config = await loadConfig(await fileWith(raw), { AUTOFACILITATE_POSTGRES_URL: fromEnv });
  expect(config.storage.postgres).toEqual({ url: fromEnv, poolSize: 20 });
});

test('a PostgreSQL URL that is not one is refused, without repeating it', async () => {
  const raw = await minimal();
  raw.storage = { postgres: { url: 'mysql://app@db/autofacilitate', poolSize: 0 } };
  const message = await problemsOf(raw);
  expect(message).toContain('storage.postgres.url: must be a postgres:// or postgresql:// URL');
  expect(message).toContain('storage.postgres.poolSize: must be >= 1');
  const fromEnv = await problemsOf(await minimal(), { AUTOFACILITATE_POSTGRES_URL: 'db.internal:s3cret' });
  expect(fromEnv).toContain('AUTOFACILITATE_POSTGRES_URL: must be a postgres:// or postgresql:// URL');
  expect(fromEnv).not.toContain('s3cret');
});

test('a server on a PostgreSQL that does not answer says where it tried, never with the password', async () => {
  const raw = await minimal();
  raw.storage = { postgres: { url: 'postgres://app:s3cret@127.0.0.1:1/autofacilitate' } };
  const config = await loadConfig(await fileWith(raw), {});
  const failure = createServer(config, { logDestination: { write: () => true } });
  await expect(failure).rejects.toThrow(/^PostgreSQL at 127\.0\.0\.1:1\/autofacilitate: .*ECONNREFUSED/);
  await expect(failure).rejects.not.toThrow(/s3cret/);
});

test('callback secrets come from the file, or from the environment, several while one is rotated', async () => {
  const raw = await minimal();
  raw.organisations.acme.callbackSecrets = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'];
  expect((await loadConfig(await fileWith(raw), {})).organisations.acme!.callbackSecrets).toEqual([
    'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  ]);
  const rotating = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwdXBGaGV5UgA=';
  const config = await loadConfig(await fileWith(await minimal()), { AUTOFACILITATE_CALLBACK_SECRET_ACME: rotating });
  expect(config.organisations.acme!.callbackSecrets).toEqual(rotating.split(' '));
});

test('a client may have its own execute rate', async () => {
  const raw = await minimal();
  raw.organisations.acme.clients['acme-client'].executeRate = { perSecond: 0.5, burst: 3 };
  expect((await loadConfig(await fileWith(raw), {})).organisations.acme!.clients['acme-client']!.executeRate).toEqual({
    perSecond: 0.5,
    burst: 3,
  });
});

describe('a bad file stops start-up with a message naming the file, the key and why', () => {
  test('callback settings', async () => {
    const raw = await minimal();
    raw.organisations.acme.callbackSecrets = ['whsec_tooshort', 'not-a-secret'];
    raw.callbacks = { retrySchedule: ['5s', '1.5h'], allow: ['10.0.0.0/8', '10.0.0.0/99', 'intranet'] };
    raw.limits = { executeRate: { perSecond: 0, burst: 1 } };
    const message = await problemsOf(raw);
    expect(message).toContain('organisations.acme.callbackSecrets.1: must be whsec_ and the base64 of 24 to 64 bytes');
    expect(message).toContain('callbacks.retrySchedule.1: must be a duration such as 150ms, 5s, 30m or 2h');
    expect(message).toContain('limits.executeRate.perSecond: must be > 0');

    delete raw.limits;
    raw.organisations.acme.callbackSecrets = ['whsec_tooshort'];
    raw.callbacks.retrySchedule = ['5s'];
    const next = await problemsOf(raw);
    expect(next).toContain(
      'organisations.acme.callbackSecrets.0: must be whsec_ and the base64 of 24 to 64 bytes, as "autofacilitate-server new-callback-secret" makes',
    );
    expect(next).toContain('callbacks.allow.1: must be an IP address or a CIDR range, such as 10.1.0.0/16');
    expect(next).toContain('callbacks.allow.2: must be an IP address or a CIDR range');
    expect(next).not.toContain('callbacks.allow.0');
    const fromEnv = await problemsOf(await minimal(), { AUTOFACILITATE_CALLBACK_SECRET_ACME: 'whsec_short' });
    expect(fromEnv).toContain(
      'organisations.acme.callbackSecrets.0 (from AUTOFACILITATE_CALLBACK_SECRET_ACME): must be whsec_',
    );
  });

  test('every problem at once', async () => {
    const raw = await minimal();
    raw.servr = { port: 1 };
    raw.server = { port: 'eighty' };
    raw.workers = { leaseMs: 5 };
    raw.organisations.acme.services.echo.timeoutMs = -1;
    raw.organisations.acme.services.nap = { kind: 'nap' };
    raw.organisations.acme.services.crm = { kind: 'http' };
    raw.organisations.acme.services.wait = { kind: 'sleep', ms: 10, url: 'https://a.example' };
    const message = await problemsOf(raw);
    expect(message.split('\n')).toEqual([
      `${join(dir, 'config.yaml')}:`,
      '  servr: unknown key',
      '  server.port: must be integer',
      '  workers.leaseMs: must be >= 100',
      '  organisations.acme.services.echo.timeoutMs: must be >= 1',
      '  organisations.acme.services.nap.kind: must be one of echo, sleep, fail, http, module',
      '  organisations.acme.services.crm.url: missing',
      '  organisations.acme.services.wait.url: unknown key',
    ]);
  });

  test('headers that may take longer than the whole request', async () => {
    const raw = await minimal();
    raw.server = { requestTimeoutMs: 1000, headersTimeoutMs: 2000 };
    expect(await problemsOf(raw)).toContain('server.headersTimeoutMs: must be at most server.requestTimeoutMs (1000)');
  });

  test('no organisations', async () => {
    expect(await problemsOf({ server: {} })).toContain('organisations: missing');
  });

  test('a secret hash that is not one', async () => {
    const raw = await minimal();
    raw.organisations.acme.clients['acme-client'].secretHash = 'plain-text-secret';
    raw.organisations.acme.apiKeys.main.hash = 'sha256$nothex';
    const message = await problemsOf(raw);
    expect(message).toContain(
      'organisations.acme.clients.acme-client.secretHash: must be a hash made by "autofacilitate-server hash-secret"',
    );
    expect(message).toContain(
      'organisations.acme.apiKeys.main.hash: must be a hash made by "autofacilitate-server new-api-key"',
    );
  });

  test('an scrypt hash with absurd costs', async () => {
    const raw = await minimal();
    raw.organisations.acme.clients['acme-client'].secretHash =
      `scrypt$1099511627776$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`;
    expect(await problemsOf(raw)).toContain(
      'organisations.acme.clients.acme-client.secretHash: must be a hash made by',
    );
  });

  test('one client id in two organisations, one API key twice', async () => {
    const raw = await minimal();
    raw.organisations.globex = {
      clients: { 'acme-client': { secretHash: await hashClientSecret('other') } },
      apiKeys: { copy: { hash: hashApiKey('the-key') } },
      services: {},
    };
    const message = await problemsOf(raw);
    expect(message).toContain(
      'organisations.globex.clients.acme-client: the client id is also used in organisations.acme',
    );
    expect(message).toContain(
      'organisations.globex.apiKeys.copy: the same key is also organisations.acme.apiKeys.main',
    );
  });

  test('YAML that does not parse, with its line', async () => {
    expect(await problemsOf('organisations:\n  acme: [unclosed\n')).toMatch(/line \d+/);
  });

  test('a key given twice', async () => {
    expect(await problemsOf('organisations: {}\norganisations: {}\n')).toMatch(/unique/i);
  });

  test('a file that is not there', async () => {
    await expect(loadConfig(join(dir, 'missing.yaml'), {})).rejects.toThrow(
      `${join(dir, 'missing.yaml')}: cannot be read (ENOENT)`,
    );
  });

  test('a file that is not a mapping', async () => {
    expect(await problemsOf('just a string')).toContain('(top level): must be object');
  });
});
