// The breaking-change report: openapi-diff compares the base spec with the working tree's, and a
// breaking change is allowed only when the working tree raised info.version's major.
import openapiDiff from 'openapi-diff';
import { specVersion } from './spec-version.mjs';

/**
 * Diffs two specs' texts: `{ breaking, nonBreaking, unclassified, base, head, allowed }`, where
 * `allowed` says whether the breaking changes (if any) come with a new major version.
 */
export async function breakingChanges(base, head) {
  const outcome = await openapiDiff.diffSpecs({
    sourceSpec: { content: base.text, location: base.name, format: 'openapi3' },
    destinationSpec: { content: head.text, location: head.name, format: 'openapi3' },
  });
  const baseVersion = specVersion(base.text, base.name);
  const headVersion = specVersion(head.text, head.name);
  const breaking = outcome.breakingDifferencesFound ? outcome.breakingDifferences : [];
  return {
    breaking,
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
  const details =
    difference.sourceSpecEntityDetails.length > 0
      ? difference.sourceSpecEntityDetails
      : difference.destinationSpecEntityDetails;
  const where = details.map((detail) => detail.location).join(', ');
  const meaning = MEANINGS[difference.code] ?? 'a change openapi-diff does not classify';
  return `${difference.code} (${meaning}) at ${where}`;
}
