import { readFile } from 'node:fs/promises';

/** What the runs of a service recorded in its log (`start|end <triggerUUID> <pid>`, `killed - <pid>`). */
export interface RunTally {
  /** The processes (pids) that started a run of each trigger, in order. */
  starts: Map<string, string[]>;
  /** The most runs under way at once, across every process. */
  mostAtOnce: number;
  /** Runs that a killed process never ended. */
  cutShort: number;
}

/**
 * Reads a run log that processes append to in the order things happen. A process killed with
 * `kill -9` writes no end for its runs; the test writes `killed - <pid>` once it has exited, and
 * its runs count as ended there (they ran no longer).
 */
export async function readRunTally(file: string): Promise<RunTally> {
  const starts = new Map<string, string[]>();
  const open = new Map<string, Set<string>>();
  let underWay = 0;
  let mostAtOnce = 0;
  let cutShort = 0;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line === '') continue;
    const [event, triggerUUID, pid] = line.split(' ') as [string, string, string];
    const ofProcess = open.get(pid) ?? new Set<string>();
    open.set(pid, ofProcess);
    if (event === 'start') {
      starts.set(triggerUUID, [...(starts.get(triggerUUID) ?? []), pid]);
      ofProcess.add(triggerUUID);
      underWay++;
      mostAtOnce = Math.max(mostAtOnce, underWay);
    } else if (event === 'end') {
      ofProcess.delete(triggerUUID);
      underWay--;
    } else if (event === 'killed') {
      cutShort += ofProcess.size;
      underWay -= ofProcess.size;
      ofProcess.clear();
    }
  }
  return { starts, mostAtOnce, cutShort };
}
