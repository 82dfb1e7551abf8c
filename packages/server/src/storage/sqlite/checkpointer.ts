import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in its own thread with its own connection. PASSIVE never waits for readers or writers, and
// every failure is kept inside: a checkpoint that cannot run now runs at the next tick.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the event loop. A checkpoint copies the WAL into the database file and
 * waits for the disk (fsync); run by the serving connection, as SQLite does by default, it stalls
 * every request for as long. Here a worker thread checkpoints every `intervalMs` instead.
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(file: string, intervalMs: number, busyTimeoutMs: number, onExit: () => void) {
    const driver = createRequire(__filename).resolve('better-sqlite3');
    this.#worker = new Worker(workerSource, { eval: true, workerData: { driver, file, intervalMs, busyTimeoutMs } });
    // An open store must not keep the process alive on its own.
    this.#worker.unref();
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        onExit();
        resolve();
      });
    });
    // A worker that cannot even open the file exits; onExit lets the store checkpoint itself again.
    this.#worker.on('error', () => undefined);
  }

  /** Stops the worker and waits until its connection is closed. */
  async stop(): Promise<void> {
    // Held until it has closed its connection, even if nothing else keeps the process alive.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
