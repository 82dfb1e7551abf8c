import type { Pool, PoolClient } from 'pg';
import { afterCommit } from './postgres-transaction';

// Its commit need not wait for the disk: an announcement lost to a crash is made up by polling.
const announceSql = "SELECT pg_notify($1, $2), set_config('synchronous_commit', 'off', true)";

/**
 * Announces jobs made due at once on the channel the worker processes listen on, after the
 * transaction that wrote them commits, at most one announcement per queue under way: commits made
 * meanwhile are announced once more when it is done. NOTIFY inside the writing transaction would
 * hold PostgreSQL's lock of the notification queue through the commit's fsync, one execute at a
 * time across the cluster.
 */
export class WorkAnnouncer {
  readonly #underWay = new Set<string>();
  readonly #again = new Set<string>();
  #closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  /** Announces a job of `queue` that `client`'s transaction makes due at once, once it commits. */
  dueOnCommit(client: PoolClient, queue: string): void {
    afterCommit(client, () => this.announce(queue));
  }

  /** Announces that `queue` has jobs due. */
  announce(queue: string): void {
    if (this.#closed) return;
    if (this.#underWay.has(queue)) {
      this.#again.add(queue);
      return;
    }
    this.#underWay.add(queue);
    this.pool
      .query(announceSql, [this.channel, queue])
      .catch(this.onError)
      .finally(() => {
        this.#underWay.delete(queue);
        if (this.#again.delete(queue)) this.announce(queue);
      });
  }

  /** Announces nothing more: the pool is about to end (announcements under way finish first). */
  close(): void {
    this.#closed = true;
  }
}
