/**
 * A one-line progress display for a terminal: a spinner, the elapsed time and a state. It draws only
 * when the stream is a TTY, so pipes and `--json` runs get nothing but their output.
 */
export interface Spinner {
  update(state: string): void;
  /** Prints a line that stays, above the spinner (or alone, when the stream is no terminal). */
  print(line: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;

export function startSpinner(stream: NodeJS.WriteStream, label: string, now: () => number = Date.now): Spinner {
  if (!stream.isTTY) return { update() {}, print: (line) => stream.write(`${line}\n`), stop() {} };
  const started = now();
  let state = 'starting';
  let frame = 0;
  let stopped = false;
  const draw = () => {
    const elapsed = ((now() - started) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label} — ${state} — ${elapsed}s`);
  };
  draw();
  const timer = setInterval(draw, INTERVAL_MS);
  return {
    update(next) {
      state = next;
      draw();
    },
    print(line) {
      stream.write(`\r\x1b[2K${line}\n`);
      if (!stopped) draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
