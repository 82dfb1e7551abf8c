import { UsageError } from './usage-error';

/**
 * Reads repeated `-p key=value` options into trigger parameters. The value is everything after
 * the first `=`, so values may contain `=`; an empty value is allowed, an empty key is not.
 */
export function parseParameters(pairs: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator <= 0) {
      throw new UsageError(`malformed -p "${pair}": expected key=value`);
    }
    const key = pair.slice(0, separator);
    if (Object.hasOwn(parameters, key)) {
      throw new UsageError(`-p "${key}" is given twice`);
    }
    parameters[key] = pair.slice(separator + 1);
  }
  return parameters;
}
