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

const seconds = positive('BENCH_SECONDS', 10);

export const settings = {
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
  /** The backlogs CPU per finished trigger is measured at, and the triggers of each of its 3 windows. */
  cpuQueued: positiveList('BENCH_CPU_QUEUED', [1000, 100000]),
  cpuTriggers: positive('BENCH_CPU_TRIGGERS', 500),
};
