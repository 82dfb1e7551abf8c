import { Writable } from 'node:stream';

/** A log line as the server writes it; tests read into it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LogLine = Record<string, any>;

/** Where a test server's log goes: every line, parsed, and a wait for the one a test expects. */
export interface LogLines {
  readonly lines: LogLine[];
  /** Pass it as the server's `logDestination`. */
  readonly destination: Writable;
  /** Resolves with the first line (written so far, or later) that `matches`. */
  waitFor(matches: (line: LogLine) => boolean): Promise<LogLine>;
}

export function logLines(): LogLines {
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      for (const waiter of [...waiters]) waiter();
      callback();
    },
  });
  const waitFor = (matches: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => {
      const check = () => {
        const line = lines.find(matches);
        if (!line) return;
        waiters.delete(check);
        resolve(line);
      };
      waiters.add(check);
      check();
    });
  return { lines, destination, waitFor };
}
