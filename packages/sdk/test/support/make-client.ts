import { AutoFacilitate, type AutoFacilitateOptions } from '@autofacilitate/sdk';
import { API_KEY, BASE_URL, CLIENT_ID, CLIENT_SECRET, FakeApi } from './fake-api';
import { VirtualClock } from './virtual-clock';

/** A client on a fake API and a virtual clock, jitter fixed at the middle of its range. */
export function makeClient(overrides: Partial<AutoFacilitateOptions> = {}) {
  const api = new FakeApi();
  const clock = new VirtualClock();
  const client = new AutoFacilitate({
    orgId: 'acme',
    baseUrl: BASE_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiKey: API_KEY,
    fetch: api.fetch,
    clock,
    random: () => 0.5,
    ...overrides,
  });
  return { api, clock, client };
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Lets in-memory requests reach the fake API (a few turns of the real event loop). */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}
