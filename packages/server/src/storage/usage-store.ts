import type { UsageCount } from './usage-types';

/** The usage counters, per organisation, API key and operation. */
export interface UsageStore {
  /** Adds to the counters, all or none. */
  addUsage(counts: UsageCount[]): Promise<void>;
  /** Every counter, by organisation, API key and operation. */
  listUsage(): Promise<UsageCount[]>;
}
