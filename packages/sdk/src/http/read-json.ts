import { AutoFacilitateError, type OperationId } from '../errors';

/** Reads a 2xx response's JSON body; a body that is not JSON is the server's fault, said plainly. */
export async function readJson(response: Response, operation: OperationId): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new AutoFacilitateError(`${operation} answered ${response.status} with a body that is not JSON`, {
      status: response.status,
      operation,
    });
  }
}
