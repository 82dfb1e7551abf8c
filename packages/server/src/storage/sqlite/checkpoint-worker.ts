// The checkpointer's thread (see checkpointer.ts): its own connection, checkpointing on request.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointReply, CheckpointRequest, CheckpointWorkerData } from './checkpoint-messages';

const { file, busyTimeoutMs } = workerData as CheckpointWorkerData;
const db = new Database(file);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);

function checkpoint(): CheckpointReply {
  try {
    // PASSIVE never waits for readers or writers; a checkpoint that cannot run now runs next time.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointReply[];
    return result!;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort!.on('message', (request: CheckpointRequest) => {
  if (request === 'checkpoint') {
    parentPort!.postMessage(checkpoint());
    return;
  }
  db.close();
  parentPort!.close();
});
