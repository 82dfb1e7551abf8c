import { Counter, type CounterConfiguration } from 'prom-client';

/** One labelled series of a {@link TalliedCounter}: counting is adding to `count`. */
export interface Tally {
  count: number;
}

/**
 * A prom-client counter whose series are counted as plain numbers and added to it at each scrape:
 * prom-client's own `inc` checks the labels and builds and looks up a key string on every call,
 * which the request path would pay thousands of times a second.
 */
export class TalliedCounter<L extends string> {
  readonly #counter: Counter<L>;
  readonly #tallies: { tally: Tally; series: ReturnType<Counter<L>['labels']> }[] = [];

  constructor(config: Omit<CounterConfiguration<L>, 'collect'>) {
    const tallies = this.#tallies;
    this.#counter = new Counter<L>({
      ...config,
      collect() {
        for (const { tally, series } of tallies) {
          if (tally.count === 0) continue;
          series.inc(tally.count);
          tally.count = 0;
        }
      },
    });
  }

  /** A new tally of the series with these label values, in the order of the label names; keep it. */
  tally(...values: string[]): Tally {
    const tally = { count: 0 };
    this.#tallies.push({ tally, series: this.#counter.labels(...values) });
    return tally;
  }
}
