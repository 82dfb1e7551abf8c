import { spawn } from 'node:child_process';

/**
 * Runs a long-lived child (the mock or the server) in the foreground: its output is ours, Ctrl-C
 * and SIGTERM are passed on, and its exit status becomes ours. The child has a process group of
 * its own, so that a terminal's Ctrl-C reaches it once, through us: a second SIGINT would stop the
 * server at once instead of gracefully.
 */
export function runChild(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { stdio: 'inherit', detached: true });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolveExit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}
