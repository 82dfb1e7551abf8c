import { spawn } from 'node:child_process';

/** A command running in a pseudo-terminal, as in a person's terminal window. */
export interface TerminalSession {
  /** Everything the terminal has shown so far, escape sequences included. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the command ends first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Types into the terminal (`'\u0003'` is Ctrl-C). */
  type(keys: string): void;
  /** Resolves with the command's exit code once it has ended. */
  exited: Promise<number | null>;
}

/**
 * Runs `command` (a shell command line) in a pseudo-terminal `columns` wide, through util-linux's
 * `script`: the command sees a terminal on its standard input and output, so tools that behave
 * differently in one (prompts, full-screen UIs, colours) do here what they do for a person.
 */
export function runInTerminal(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; columns: number },
): TerminalSession {
  const child = spawn(
    'script',
    [
      '--quiet',
      '--flush',
      '--return',
      '--command',
      `stty cols ${options.columns} rows 40; exec ${command}`,
      '/dev/null',
    ],
    {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let output = '';
  let ended = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    notify();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      resolve(code);
      notify();
    }),
  );
  return {
    output: () => output,
    exited,
    type: (keys) => child.stdin.write(keys),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (ended) {
            listeners.delete(check);
            reject(new Error(`\`${command}\` ended before showing ${pattern}:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

/** The terminal's text without colours and other escape sequences, with plain line ends. */
export function plainText(output: string): string {
  // eslint-disable-next-line no-control-regex
  return output.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\r+\n/g, '\n');
}
