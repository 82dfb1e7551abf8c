import { UsageError } from './usage-error';

/** A positive number of seconds, as `--timeout` takes it, in ms. */
export function parseSeconds(flag: string, value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, not "${value}"`);
  }
  return Math.round(seconds * 1000);
}

/** A TCP port. */
export function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new UsageError(`${flag} must be a port between 1 and 65535, not "${value}"`);
  }
  return port;
}

/** A whole number of at least 1, as `--limit` and a delivery id take it. */
export function parsePositiveInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} must be a whole number of at least 1, not "${value}"`);
  }
  return Number(value);
}
