// The servers the bench measures: the AutoFacilitate server built in `dist`, configured through its
// configuration file, and the bare Fastify server it is compared with.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess } from './processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const secrets = {
  AUTOFACILITATE_CLIENT_SECRET_BENCH_CLIENT: 'bench-client-secret',
  AUTOFACILITATE_API_KEY_BENCH_MAIN: 'bench-api-key-0123456789',
};
const callbackSecret = `whsec_${randomBytes(32).toString('base64')}`;

/** The organisation and service every request of the bench goes to. */
export const orgId = 'bench';
export const vsn = 'echo';

// One client makes all the load: neither its rate nor the queue's bound (its length, or the wait
// its drain rate predicts) may cut it.
const unbounded = { executeRate: { perSecond: 1e9, burst: 1e9 }, queuedTriggers: 1e9, queueWaitSeconds: 1e9 };

function organisations(echo) {
  return {
    [orgId]: {
      clients: { 'bench-client': {} },
      apiKeys: { main: {} },
      callbackSecrets: [callbackSecret],
      services: { [vsn]: echo },
    },
  };
}

/**
 * The set-up of the request rows: logs at `warn` unless asked, echo at concurrency 16, callbacks
 * only when a run delivers them, and then to the receiver on 127.0.0.1 only.
 */
export function tunedConfig({ workers, logLevel = 'warn', callbacks = false, synchronous = 'FULL', postgres }) {
  return {
    server: { logLevel },
    storage: postgres ? { postgres: { url: postgres } } : { sqlite: { synchronous } },
    workers: { enabled: workers },
    limits: unbounded,
    callbacks: { enabled: callbacks, concurrency: 64, allow: ['127.0.0.1/32'] },
    organisations: organisations({ kind: 'echo', concurrency: 16, requiredParameters: ['customerId'] }),
  };
}

/**
 * The server as users run it: every setting at its default (logs at `info`, workers on, echo at
 * concurrency 4, `synchronous: FULL`) but the limits, so that the load is not cut by 429s.
 */
export function defaultConfig() {
  return { limits: unbounded, organisations: organisations({ kind: 'echo' }) };
}

/**
 * Starts the server of `dist/main.js` with `config` (host, port and, but on PostgreSQL, the
 * database file added) and gets a token; `file` names the database when it is to be another than
 * `<name>.sqlite`.
 */
export async function startServer(dir, name, config, file = join(dir, `${name}.sqlite`)) {
  const port = await freePort();
  const configFile = join(dir, `${name}.yaml`);
  const onPostgres = config.storage?.postgres !== undefined;
  const written = {
    ...config,
    server: { ...config.server, host: '127.0.0.1', port },
    storage: onPostgres ? config.storage : { sqlite: { ...config.storage?.sqlite, file } },
  };
  // JSON is YAML.
  await writeFile(configFile, JSON.stringify(written, null, 2));
  const url = `http://127.0.0.1:${port}`;
  // The configuration names the store: a PostgreSQL URL in the environment must not win.
  const env = { ...secrets, AUTOFACILITATE_POSTGRES_URL: undefined };
  const server = await startProcess(join(here, '..', 'dist', 'main.js'), ['--config', configFile], env, async () => {
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  const answer = await fetch(`${url}/tokenservice/oauth2/access_token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`bench-client:${secrets.AUTOFACILITATE_CLIENT_SECRET_BENCH_CLIENT}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (answer.status !== 200) throw new Error(`the token endpoint answered ${answer.status}: ${await answer.text()}`);
  const { access_token: token } = await answer.json();
  const api = `${url}/via/v2/organizations/${orgId}/autoFacilitate`;
  return {
    ...server,
    url,
    ...(!onPostgres && { file }),
    headers: {
      authorization: `Bearer ${token}`,
      'x-api-key': secrets.AUTOFACILITATE_API_KEY_BENCH_MAIN,
      'content-type': 'application/json',
    },
    executeUrl: `${api}/execute/${vsn}`,
    resultUrl: (triggerUUID) => `${api}/result/${vsn}/triggerUUID/${triggerUUID}`,
  };
}

/** The bare Fastify server of `bare-server.mjs`, on the database `<name>.sqlite` (fresh for each name). */
export async function startBare(dir, name, synchronous = 'NORMAL') {
  const port = await freePort();
  const bare = await startProcess(
    join(here, 'bare-server.mjs'),
    [String(port), join(dir, `${name}.sqlite`), synchronous],
    {},
    async (output) => output.includes('ready'),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    ...bare,
    url,
    headers: { 'content-type': 'application/json' },
    executeUrl: `${url}/execute`,
    resultUrl: (triggerUUID) => `${url}/result/${triggerUUID}`,
  };
}

/** The bare Fastify server of `bare-pg-server.mjs` on the PostgreSQL database `url`. */
export async function startBarePostgres(url) {
  const port = await freePort();
  const bare = await startProcess(join(here, 'bare-pg-server.mjs'), [String(port), url], {}, async (output) =>
    output.includes('ready'),
  );
  const base = `http://127.0.0.1:${port}`;
  return { ...bare, url: base, headers: { 'content-type': 'application/json' }, executeUrl: `${base}/execute` };
}
