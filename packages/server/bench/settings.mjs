// What the bench measures and for how long, each from the environment when set there.

function positive(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number, not "${value}"`);
  return number;
}

function positiveList(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  return value.split(',').map((item) => {
    const number = Number(item);
    if (!Number.isInteger(number) || number <= 0)
      throw new Error(`${name} must list positive integers, not "${value}"`);
    return number;
  });
}

/** The parts of the bench, in the order they run; `BENCH_ROWS` names a few of them to run alone. */
export const rowNames = ['execute', 'settings', 'get-result', 'end-to-end', 'cpu', 'latency', 'callbacks', 'postgres'];

function rowList(name) {
  const value = process.env[name];
  if (value === undefined || value === '') return new Set(rowNames);
  const rows = value.split(',').map((row) => row.trim());
  const unknown = rows.filter((row) => !rowNames.includes(row));
  if (unknown.length > 0) throw new Error(`${name} names ${unknown.join(', ')}: the rows are ${rowNames.join(', ')}`);
  return new Set(rows);
}

const seconds = positive('BENCH_SECONDS', 10);

export const settings = {
  /** The parts to run (all unless `BENCH_ROWS` names some). */
  rows: rowList('BENCH_ROWS'),
  /** Each autocannon run of the request rows, after a warm-up of up to 3 s. */
  seconds,
  warmupSeconds: Math.min(3, seconds),
  /** Triggers timed one at a time, execute → result and execute → callback received. */
  latencySamples: positive('BENCH_LATENCY_SAMPLES', 1000),
  /** Callbacks delivered in the delivery-rate row. */
  callbacks: positive('BENCH_CALLBACKS', 5000),
  /** The end-to-end load, its connections, and how long its drain may take before it is cut. */
  endToEndSeconds: positive('BENCH_E2E_SECONDS', 60),
  endToEndConnections: positive('BENCH_E2E_CONNECTIONS', 100),
  drainSeconds: positive('BENCH_DRAIN_SECONDS', 90),
  /** The backlogs CPU per finished trigger is measured at, and the triggers measured each round. */
  cpuQueued: positiveList('BENCH_CPU_QUEUED', [1000, 100000]),
  cpuTriggers: positive('BENCH_CPU_TRIGGERS', 6000),
  /** On PostgreSQL: triggers in the backlog the workers drain, and callbacks delivered. */
  postgresJobs: positive('BENCH_PG_JOBS', 2000),
  /** On PostgreSQL: triggers timed one at a time, execute → result across processes. */
  postgresLatencySamples: positive('BENCH_PG_LATENCY_SAMPLES', 100),
};
