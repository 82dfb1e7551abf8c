import { execFileSync } from 'node:child_process';

/**
 * Git for scratch repos: a fixed identity and no global or system configuration, so commits and
 * tags work the same on every machine (and never sign, prompt or run the user's hooks).
 */
export const scratchGitEnv: NodeJS.ProcessEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'AutoFacilitate Release',
  GIT_AUTHOR_EMAIL: 'release@autofacilitate.invalid',
  GIT_COMMITTER_NAME: 'AutoFacilitate Release',
  GIT_COMMITTER_EMAIL: 'release@autofacilitate.invalid',
};

/** Runs git in a scratch repo and returns its trimmed output. */
export function scratchGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...scratchGitEnv }, encoding: 'utf8' }).trim();
}
