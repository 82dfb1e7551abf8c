// The bench's child processes (the server, the bare server): started, watched, measured, stopped.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

/** A port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node script ...args` with the bench's environment and `env` (a variable set to undefined
 * is left out), and resolves once `ready(output so far)` holds. A process that exits before it is
 * stopped fails the bench: its figures would be wrong.
 */
export async function startProcess(script, args, env, ready) {
  const childEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  const child = spawn(process.execPath, [script, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let stopping = false;
  let exit;
  child.stdout.on('data', (chunk) => (output += chunk));
  child.once('exit', (code, signal) => {
    exit = `${script} exited (${signal ?? `code ${code}`})`;
    running.delete(handle);
    if (!stopping) process.stderr.write(`\nbench: ${exit} while it was measured\n`);
  });
  const handle = {
    pid: child.pid,
    /** Throws when the process is gone. */
    assertAlive() {
      if (exit) throw new Error(exit);
    },
    stop() {
      if (exit) return Promise.resolve();
      stopping = true;
      return new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
    },
  };
  running.add(handle);
  const deadline = Date.now() + 60_000;
  while (!(await ready(output))) {
    handle.assertAlive();
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`${script} was not ready within 60 s`);
    }
    await sleep(50);
  }
  // From here on its output (log lines, when it logs at info) is read and dropped.
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return handle;
}

/** Stops whatever is still running (after a failure). */
export async function stopAll() {
  await Promise.all([...running].map((handle) => handle.stop()));
}

let ticksPerSecond;

/** CPU seconds from `/proc/<pid>/stat`, in clock ticks (10 ms): coarse, but always there. */
function tickedSeconds(pid) {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds from the scheduler's account of each thread, to the nanosecond, when the kernel keeps one. */
function scheduledSeconds(pid) {
  let milliseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const sched = readFileSync(`/proc/${pid}/task/${task}/sched`, 'utf8');
      milliseconds += Number(/^se\.sum_exec_runtime\s*:\s*([\d.]+)/m.exec(sched)[1]);
    } catch (error) {
      // A thread that ended between the listing and the read.
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return milliseconds / 1000;
}

/** CPU seconds a process has used, all its threads, user and system. */
export function cpuSeconds(pid) {
  return existsSync(`/proc/${pid}/sched`) ? scheduledSeconds(pid) : tickedSeconds(pid);
}
