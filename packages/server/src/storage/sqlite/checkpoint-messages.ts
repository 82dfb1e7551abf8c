/** What the checkpointer's thread is started with. */
export interface CheckpointWorkerData {
  file: string;
  busyTimeoutMs: number;
}

/** What the checkpointer asks of its thread. */
export type CheckpointRequest = 'checkpoint' | 'stop';

/** SQLite's answer to `wal_checkpoint`: frames in the WAL, and how many of them are in the database file; or why it failed. */
export type CheckpointReply = { busy: number; log: number; checkpointed: number } | { error: string };
