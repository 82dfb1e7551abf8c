// One contender of the execute bench, in a process of its own, so that each is measured as an
// application would run it: alone in its VM, not sharing inline caches and garbage with the other.
// Warms up, then makes `calls` calls, `concurrency` at a time, and reports calls/s and CPU per call.
import { AutoFacilitate } from '../dist/index.js';

const [name, baseUrl, calls, concurrency] = [
  process.argv[2],
  process.argv[3],
  Number(process.argv[4]),
  Number(process.argv[5]),
];

const options = { orgId: 'acme', baseUrl, clientId: 'bench-client', clientSecret: 'bench-secret', apiKey: 'bench-key' };
const client = new AutoFacilitate(name === 'unbounded' ? { ...options, timeoutMs: Infinity } : options);
const { accessToken } = await client.getAccessToken();

const url = `${baseUrl}/via/v2/organizations/acme/autoFacilitate/execute/ServerName`;
const triggerParameters = { key: 'value' };
const headers = {
  'Content-Type': 'application/json',
  Authorization: `Bearer ${accessToken}`,
  'x-api-key': 'bench-key',
};

const call = {
  // The same request by hand: same URL, headers and JSON body, the JSON answer read.
  raw: async () => {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ triggerParameters }) });
    if (!response.ok) throw new Error(`raw fetch answered ${response.status}`);
    return response.json();
  },
  deadline: () => client.execute('ServerName', triggerParameters),
  unbounded: () => client.execute('ServerName', triggerParameters),
}[name];

async function measure(count) {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await call();
  };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  return { rate: count / seconds, cpuMicros: (user + system) / count };
}

await measure(Math.max(1000, calls / 2)); // warm-up: connections, JIT
process.send(await measure(calls));
