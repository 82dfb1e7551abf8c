import { performance } from 'node:perf_hooks';

// A slice when the rest of the event loop is idle: long enough to claim and run a few batches.
const shortestSliceMs = 5;
// However busy the rest is, a slice ends within this, so that requests wait at most about as long.
const longestSliceMs = 50;
// A slice may last twice as long as the rest was busy: a worker that keeps up ends its slices
// early (the queue is empty), one that falls behind gets two thirds of the time to catch up.
const busyShare = 2;

/** One slice of the event loop's time: whether it is over. */
export interface Slice {
  over(): boolean;
  /** Ends the slice early (the work ran out); the next one is measured from here. */
  end(): void;
}

/** Where a worker's slices of the event loop's time come from. */
export interface TimeSlices {
  /** Starts a slice. */
  begin(): Slice;
}

/**
 * Shares the event loop between the work of a worker done in one turn (claims and in-process runs
 * in a loop) and everything else (requests, commits): a slice lasts up to twice as long as the
 * event loop was busy with everything else since the last slice ended, and when nothing else
 * runs, at least {@link shortestSliceMs}. The times are measured (the event
 * loop's utilisation), never waited on.
 */
export class EventLoopSlices implements TimeSlices {
  #endedAt = performance.eventLoopUtilization();

  /** Starts a slice. */
  begin(): Slice {
    const busy = performance.eventLoopUtilization(this.#endedAt).active;
    const endsAt = performance.now() + Math.min(longestSliceMs, Math.max(shortestSliceMs, busyShare * busy));
    return {
      over: () => performance.now() >= endsAt,
      end: () => {
        this.#endedAt = performance.eventLoopUtilization();
      },
    };
  }
}
