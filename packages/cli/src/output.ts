/** Where a command writes: results to stdout, everything for people to stderr. */
export interface Output {
  /** `--json`: stdout carries nothing but one JSON document. */
  json: boolean;
  /** `--debug`: errors come with their stack and cause. */
  debug: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Prints a command's result: the JSON document with `--json`, else the human text. */
export function printResult(output: Output, value: unknown, human: string): void {
  output.stdout.write(output.json ? `${JSON.stringify(value, jsonDates, 2)}\n` : `${human}\n`);
}

/** Writes a note for people (never to stdout, so `--json` output stays parseable). */
export function note(output: Output, line: string): void {
  output.stderr.write(`${line}\n`);
}

/** Dates as ISO strings, `undefined` fields dropped. */
function jsonDates(_key: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** Pretty JSON for people: output values of triggers. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, jsonDates, 2);
}
