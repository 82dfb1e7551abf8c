import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../time/clock';
import type { CheckpointReply, CheckpointRequest, CheckpointWorkerData } from './checkpoint-messages';

/** Settings of a {@link Checkpointer}. */
export interface CheckpointerOptions {
  /** The database file, in WAL mode. */
  file: string;
  intervalMs: number;
  busyTimeoutMs: number;
  /** Sets the interval, so that tests move it on virtual time. */
  clock: Clock;
  /** Called once the thread has ended, however it ended. */
  onExit: () => void;
}

// Beside this module: checkpoint-worker.js in the built package, checkpoint-worker.ts from the
// sources (under jest), which Node runs by stripping its types.
const workerFile = join(__dirname, `checkpoint-worker${extname(__filename)}`);

/**
 * Moves WAL checkpoints off the event loop. A checkpoint copies the WAL into the database file and
 * waits for the disk (fsync); run by the serving connection, as SQLite does by default, it stalls
 * every request for as long. Here a worker thread with its own connection checkpoints instead,
 * every `intervalMs` and whenever {@link checkpoint} asks.
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #clock: Clock;
  readonly #timer: unknown;
  // Replies come in the order of the requests.
  readonly #waiting: Array<(reply: CheckpointReply | undefined) => void> = [];
  #ended = false;

  constructor({ file, intervalMs, busyTimeoutMs, clock, onExit }: CheckpointerOptions) {
    this.#clock = clock;
    // Fails the start of a package built without its thread, rather than never checkpointing.
    if (!existsSync(workerFile))
      throw new Error(`The checkpointer's thread ${workerFile} is missing: rebuild the server`);
    const workerData: CheckpointWorkerData = { file, busyTimeoutMs };
    this.#worker = new Worker(workerFile, { workerData });
    // An open storage must not keep the process alive on its own.
    this.#worker.unref();
    this.#worker.on('message', (reply: CheckpointReply) => this.#waiting.shift()?.(reply));
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        this.#ended = true;
        this.#clock.clearInterval(this.#timer);
        for (const settle of this.#waiting.splice(0)) settle(undefined);
        onExit();
        resolve();
      });
    });
    // A thread that cannot even open the file exits; onExit lets the storage checkpoint itself again.
    this.#worker.on('error', () => undefined);
    // The clock's intervals do not keep the process alive on their own.
    this.#timer = clock.setInterval(() => {
      // A checkpoint still running is not queued behind.
      if (this.#waiting.length === 0) void this.checkpoint();
    }, intervalMs);
  }

  /** Checkpoints now; resolves to SQLite's answer, or undefined when the thread has ended. */
  checkpoint(): Promise<CheckpointReply | undefined> {
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#post('checkpoint');
    });
  }

  /** Stops the thread and waits until its connection is closed. */
  async stop(): Promise<void> {
    this.#clock.clearInterval(this.#timer);
    // Held until it has closed its connection, even if nothing else keeps the process alive.
    this.#worker.ref();
    this.#post('stop');
    await this.#exited;
  }

  #post(request: CheckpointRequest): void {
    this.#worker.postMessage(request);
  }
}
