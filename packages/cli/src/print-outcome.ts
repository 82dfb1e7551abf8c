import type { TriggerOutcome } from '@autofacilitate/sdk';
import { describeOutcome } from './describe-outcome';
import { printResult, type Output } from './output';

// What the SDK adds to an outcome that the API's answer has not: `retryAfterMs` is a header.
const NOT_IN_THE_ANSWER = new Set(['done', 'retryAfterMs']);

/** Prints a trigger's outcome: for people, its status line and output; with `--json`, what the API answered. */
export function printOutcome(output: Output, outcome: TriggerOutcome): void {
  const answer = Object.fromEntries(Object.entries(outcome).filter(([key]) => !NOT_IN_THE_ANSWER.has(key)));
  printResult(output, answer, describeOutcome(outcome));
}
