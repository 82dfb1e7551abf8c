// What the generated client's suites against Prism share: one validating proxy per file, a way to
// ask the mock for a status, and a call that must fail.
import { ResponseError, type InitOverrideFunction } from '@autofacilitate/client';
import { startValidatingPrism, type RunningPrism } from '../../src/prism';

/** Starts Prism behind its validating proxy for the file's tests; the getter is valid inside them. */
export function useValidatingPrism(): () => RunningPrism {
  let proxy: RunningPrism | undefined;
  beforeAll(async () => {
    proxy = await startValidatingPrism();
  });
  afterAll(async () => {
    await proxy?.stop();
  });
  return () => {
    if (!proxy) throw new Error('Prism is not running: call the getter inside a test');
    return proxy;
  };
}

/** Asks Prism for a status, keeping the headers the client set (a plain `headers` override replaces them). */
export const prefer =
  (status: number): InitOverrideFunction =>
  async ({ init }) => ({ ...init, headers: { ...init.headers, Prefer: `code=${status}` } });

/** Runs a call that must fail and returns its ResponseError. */
export async function failure(call: Promise<unknown>): Promise<ResponseError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ResponseError);
  return error as ResponseError;
}
