// The few git reads the review needs. It never writes: the base spec is read with `git show`.
import { execFileSync } from 'node:child_process';

/** The spec's path in the repo, the same at every ref. */
export const SPEC = 'spec/autofacilitate.yaml';

/** Runs git in the working directory and returns its trimmed output. */
export function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The spec's text at `ref`, or a clear error when the ref or the file at it does not exist. */
export function specAt(ref) {
  try {
    return execFileSync('git', ['show', `${ref}:${SPEC}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`Cannot read ${SPEC} at '${ref}': ${String(error.stderr).trim() || error.message}`, {
      cause: error,
    });
  }
}
