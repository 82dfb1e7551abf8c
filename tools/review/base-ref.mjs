// Which spec a review compares with when `--base` is not given: the last release.
// A release is tagged `v<version>` by `nx release` (nx.json's `release.releaseTag.pattern`), and the
// spec of that commit is the spec that shipped. A clone does not always carry tags (a mirror of one
// branch, a CI checkout), so without one the review falls back to the commit that first carried
// the version the committed spec declares: the spec as it was when that version began.
import { readFileSync } from 'node:fs';
import { git, SPEC, specAt } from './git.mjs';
import { specVersion } from './spec-version.mjs';

/** How `nx release` names its tags (`v{version}`), read from nx.json so the two cannot drift. */
export const RELEASE_TAG = JSON.parse(readFileSync('nx.json', 'utf8')).release.releaseTag.pattern;
/** The same as a `git tag --list` pattern. */
const TAG_PATTERN = RELEASE_TAG.replace('{version}', '[0-9]*');

/** Resolves the default base: `{ ref, why }`, `why` saying how it was chosen. */
export function defaultBase() {
  const [tag] = git('tag', '--list', TAG_PATTERN, '--merged', 'HEAD', '--sort=-v:refname').split('\n').filter(Boolean);
  if (tag) return { ref: tag, why: `the last release tag (${RELEASE_TAG}, as nx release tags)` };

  const { version } = specVersion(specAt('HEAD'), `${SPEC} at HEAD`);
  let first;
  for (const commit of git('log', '--format=%H', 'HEAD', '--', SPEC).split('\n').filter(Boolean)) {
    if (versionAt(commit) !== version) break;
    first = commit;
  }
  if (!first) throw new Error(`No release tag (${RELEASE_TAG}) and no commit of ${SPEC}: pass --base <git ref>`);
  return {
    ref: first.slice(0, 12),
    why: `the first commit of ${SPEC} at version ${version}, as no release tag (${RELEASE_TAG}) is reachable`,
  };
}

/** The spec's version at a commit, or undefined where it has none (not yet a spec, or not valid). */
function versionAt(commit) {
  try {
    return specVersion(specAt(commit), `${SPEC} at ${commit}`).version;
  } catch {
    return undefined;
  }
}
