import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { execute, tokenFor, type Answer, type Caller } from './support/api-client';
import { startCallbackTally, type CallbackTally } from './support/callback-tally';
import { usePostgresCluster } from './support/postgres-cluster';
import { processServers } from './support/process-servers';
import { readRunTally } from './support/run-tally';
import { builtServer, startServerProcess, type ServerProcess } from './support/server-process';
import { secrets, testEnv } from './support/test-config';

// Issue 13's end-to-end test: 2 API processes and 2 worker processes (`serve --role …`) on one
// PostgreSQL. 5,000 triggers go to both APIs with callbacks to a local receiver; one worker is
// killed with kill -9 mid-run and started again. Every trigger answered 200 ends once, every
// callback comes at least once under one webhook-id, the service's concurrency holds across the
// workers, and a client's execute rate holds across both APIs.

const cluster = usePostgresCluster();
const { dir, configFile, start, track } = processServers();
const fixtures = join(__dirname, 'fixtures');

const triggers = 5000;
const concurrency = 16;
const senders = 16;
// Low enough that both APIs together are asked well above it, and twice it would show.
const globexRate = { perSecond: 10, burst: 10 };
let tally: CallbackTally | undefined;

afterEach(() => tally?.close());

/** Calls `send` for 0 … count - 1 with `width` calls under way at once; the answers in order. */
async function sendAll(count: number, width: number, send: (index: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = new Array(count);
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const index = next++;
      answers[index] = await send(index);
    }
  };
  await Promise.all(Array.from({ length: width }, sender));
  return answers;
}

test('2 API and 2 worker processes on one PostgreSQL: 5,000 triggers, a worker killed with kill -9 and restarted', async () => {
  // The package is built once per file; the time counted is the scenario's.
  await builtServer();
  const startedAt = performance.now();
  const url = await cluster.createDatabase();
  const runLog = join(dir(), 'runs.log');
  await writeFile(runLog, '');
  // Every 50th trigger's callback is refused once, and retried under the same webhook-id.
  tally = await startCallbackTally((path) => Number(path.split('/').pop()) % 50 === 0);
  const file = await configFile('scale-out', (raw) => {
    raw.storage = { postgres: { url, poolSize: 6 } };
    // A killed worker's triggers come back once their heartbeat (10 s, pg-boss's shortest) lapses.
    raw.workers = { leaseMs: 10_000, pollIntervalMs: 1000 };
    raw.callbacks = {
      allow: ['127.0.0.1/32'],
      timeoutMs: 2000,
      pollIntervalMs: 1000,
      concurrency: 16,
      retrySchedule: ['50ms', '100ms', '200ms', '400ms', '800ms'],
    };
    raw.limits = { executeRate: { perSecond: 100_000, burst: 100_000 } };
    raw.organisations.globex.clients['globex-client'].executeRate = globexRate;
    raw.organisations.globex.callbackSecrets = [secrets.acmeNextCallback];
    // One service each: a claim asks for each service in turn.
    raw.organisations.acme.services = {
      tally: { kind: 'module', module: join(fixtures, 'tally-service.mjs'), concurrency },
    };
  });
  const env = { TALLY_LOG: runLog };
  const startWorker = async (): Promise<ServerProcess> => {
    const worker = await startServerProcess(file, { ...testEnv, ...env }, ['serve', '--role', 'worker']);
    track(worker);
    return worker;
  };
  const apis = await Promise.all([0, 1].map(() => start(file, env, ['serve', '--role', 'api'])));
  const workers = await Promise.all([startWorker(), startWorker()]);
  const api = (index: number) => apis[index % 2]!;

  // The rate limit, across both APIs: a client that asks both as fast as it can is let through at
  // its rate once, not once per process.
  const globex: Caller = {
    token: await tokenFor(apis[0]!.url, 'globex-client', secrets.globexClient),
    apiKey: secrets.globexKey,
  };
  const limitFrom = performance.now();
  const limited = await sendAll(150, 10, (index) =>
    execute(api(index).url, 'globex', 'echo', globex, {
      triggerParameters: {},
      callbackUrls: [`${tally!.url}/globex/${index + 1}`],
    }),
  );
  const limitSeconds = (performance.now() - limitFrom) / 1000;
  const globexAccepted = limited.filter((answer) => answer.status === 200);
  const answered = (answer: Answer) => `${answer.status} ${answer.text}`;
  expect(limited.filter((answer) => answer.status !== 200 && answer.status !== 429).map(answered)).toEqual([]);
  expect(globexAccepted.length).toBeLessThanOrEqual(globexRate.burst + globexRate.perSecond * limitSeconds);

  // kill -9 one worker once a fifth of the callbacks are in, and start another in its place.
  const killedWorker = workers[0]!;
  const restarted = tally.reach(triggers / 5).then(async () => {
    killedWorker.child.kill('SIGKILL');
    await killedWorker.exited;
    await appendFile(runLog, `killed - ${killedWorker.child.pid}\n`);
    console.log(`killed a worker after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    workers[0] = await startWorker();
  });
  const acme = apis[0]!.acme;
  const answers = await sendAll(triggers, senders, (index) =>
    execute(api(index).url, 'acme', 'tally', acme, {
      triggerParameters: { ms: '50' },
      callbackUrls: [`${tally!.url}/acme/${index}`],
    }),
  );
  const sentSeconds = (performance.now() - startedAt) / 1000;
  // Progress, for a run that ends in the timeout on a machine busy with other work.
  console.log(`sent ${triggers} triggers in ${sentSeconds.toFixed(1)} s; ${tally.byTrigger.size} called back so far`);
  expect(answers.filter((answer) => answer.status !== 200).map(answered)).toEqual([]);
  const accepted = [
    ...answers.map((answer) => answer.json.triggerUUID as string),
    ...globexAccepted.map((answer) => answer.json.triggerUUID as string),
  ];
  await restarted;
  await tally.reach(accepted.length);
  const calledBackSeconds = (performance.now() - startedAt) / 1000;

  // Every trigger answered 200 ended once, succeeded, and its callbacks all carry that end.
  const pool = new Pool({ connectionString: url });
  const { rows } = await pool
    .query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM triggers GROUP BY status')
    .finally(() => pool.end());
  expect(rows).toEqual([{ status: 'succeeded', count: accepted.length }]);
  const webhookIds = accepted.map((triggerUUID) => {
    const callbacks = tally!.byTrigger.get(triggerUUID) ?? [];
    expect(callbacks.length).toBeGreaterThan(0);
    expect(new Set(callbacks.map((callback) => `${callback.webhookId} ${callback.status}`)).size).toBe(1);
    return callbacks[0]!.webhookId;
  });
  expect(new Set(webhookIds).size).toBe(accepted.length);

  // Each tally trigger ran at least once, and again only after the worker running it was killed,
  // never more than `concurrency` at once across both workers.
  const runs = await readRunTally(runLog);
  const tallied = answers.map((answer) => answer.json.triggerUUID as string);
  const killedPid = String(killedWorker.child.pid);
  const reruns = [...runs.starts.values()].filter((pids) => pids.length > 1);
  console.log(
    JSON.stringify({
      triggersAnswered200: accepted.length,
      tallyTriggers: tallied.length,
      globex: { sent: limited.length, accepted: globexAccepted.length, seconds: Number(limitSeconds.toFixed(2)) },
      finished: rows,
      callbacksReceived: tally.received(),
      triggersCalledBack: tally.byTrigger.size,
      runs: [...runs.starts.values()].reduce((sum, pids) => sum + pids.length, 0),
      runsCutShortByKill: runs.cutShort,
      triggersRunAgain: reruns.length,
      mostRunsAtOnce: runs.mostAtOnce,
      serviceConcurrency: concurrency,
      sentSeconds: Number(sentSeconds.toFixed(1)),
      calledBackSeconds: Number(calledBackSeconds.toFixed(1)),
      wallSeconds: Number(((performance.now() - startedAt) / 1000).toFixed(1)),
    }),
  );
  expect(tallied.filter((triggerUUID) => !runs.starts.has(triggerUUID))).toEqual([]);
  expect(reruns.filter((pids) => pids.slice(0, -1).some((pid) => pid !== killedPid))).toEqual([]);
  expect(runs.mostAtOnce).toBeLessThanOrEqual(concurrency);
}, 600_000);
