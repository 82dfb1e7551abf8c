// The breaking-change report: openapi-diff compares the base spec with the working tree's, and a
// breaking change is allowed only when the working tree raised info.version's major, or when a
// reviewer accepted it by name in spec/accepted-breaking-changes.yaml, with the reason.
import { existsSync, readFileSync } from 'node:fs';
import openapiDiff from 'openapi-diff';
import { parse } from 'yaml';
import { specVersion } from './spec-version.mjs';

/** Where reviewers list the breaking changes they accepted without a new major version. */
export const ACCEPTED = 'spec/accepted-breaking-changes.yaml';

/** The accepted breaking changes, `[{ code, location, why }]`; none when the file is absent. */
export function acceptedChanges(file = ACCEPTED) {
  if (!existsSync(file)) return [];
  const entries = parse(readFileSync(file, 'utf8')) ?? [];
  if (!Array.isArray(entries)) throw new Error(`${file}: must be a list of { code, location, why }`);
  entries.forEach((entry, index) => {
    for (const key of ['code', 'location', 'why']) {
      if (typeof entry?.[key] !== 'string' || entry[key].trim() === '')
        throw new Error(
          `${file}: entry ${index + 1} needs "${key}" (the change's code, where it is, and why it is accepted)`,
        );
    }
  });
  return entries;
}

const locationOf = (difference) =>
  (difference.sourceSpecEntityDetails.length > 0
    ? difference.sourceSpecEntityDetails
    : difference.destinationSpecEntityDetails
  ).map((detail) => detail.location);

/**
 * Diffs two specs' texts: `{ breaking, accepted, stale, nonBreaking, unclassified, base, head,
 * allowed }`, where `accepted` are the breaking changes listed in `acceptedList` (each with its
 * `why`), `breaking` the others, `stale` the listed changes the diff no longer has, and `allowed`
 * says whether the unlisted breaking changes (if any) come with a new major version.
 */
export async function breakingChanges(base, head, acceptedList = []) {
  const outcome = await openapiDiff.diffSpecs({
    sourceSpec: { content: base.text, location: base.name, format: 'openapi3' },
    destinationSpec: { content: head.text, location: head.name, format: 'openapi3' },
  });
  const baseVersion = specVersion(base.text, base.name);
  const headVersion = specVersion(head.text, head.name);
  const found = outcome.breakingDifferencesFound ? outcome.breakingDifferences : [];
  const entryOf = (difference) =>
    acceptedList.find((entry) => entry.code === difference.code && locationOf(difference).includes(entry.location));
  const breaking = found.filter((difference) => !entryOf(difference));
  const accepted = found.filter(entryOf).map((difference) => ({ difference, why: entryOf(difference).why }));
  return {
    breaking,
    accepted,
    stale: acceptedList.filter((entry) => !accepted.some(({ difference }) => entryOf(difference) === entry)),
    nonBreaking: outcome.nonBreakingDifferences,
    unclassified: outcome.unclassifiedDifferences,
    base: baseVersion,
    head: headVersion,
    allowed: breaking.length === 0 || headVersion.major > baseVersion.major,
  };
}

// openapi-diff speaks of schema "scopes" (the set of values a schema allows): say it plainly.
const MEANINGS = {
  'path.add': 'a path was added',
  'path.remove': 'a path was removed',
  'method.add': 'an operation was added',
  'method.remove': 'an operation was removed',
  'request.body.scope.add': 'the request body allows more values',
  'request.body.scope.remove': 'the request body allows fewer values: some valid requests are now refused',
  'response.body.scope.add': 'the response body allows more values: clients may get what they do not expect',
  'response.body.scope.remove': 'the response body allows fewer values',
  'response.optional.header.add': 'an optional response header was added',
  'response.optional.header.remove': 'an optional response header was removed',
  'response.required.header.add': 'a required response header was added',
  'response.required.header.remove': 'a required response header was removed',
  'response.status-code.add': 'a response status was added',
  'response.status-code.remove': 'a response status was removed',
};

/** One line per difference: its code, what it means and where it is. */
export function describe(difference) {
  const where = locationOf(difference).join(', ');
  const meaning = MEANINGS[difference.code] ?? 'a change openapi-diff does not classify';
  return `${difference.code} (${meaning}) at ${where}`;
}
