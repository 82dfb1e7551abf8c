// Which spec a review compares with when `--base` is not given: the last release.
// Releases are tagged `spec-v<info.version>`. A clone does not always carry tags (a mirror of one
// branch, a CI checkout), so without one the review falls back to the commit that first carried
// the version the committed spec declares: the spec as it was when that version began.
import { git, SPEC, specAt } from './git.mjs';
import { specVersion } from './spec-version.mjs';

/** The pattern release tags of the spec follow. */
export const TAG_PATTERN = 'spec-v*';

/** Resolves the default base: `{ ref, why }`, `why` saying how it was chosen. */
export function defaultBase() {
  const [tag] = git('tag', '--list', TAG_PATTERN, '--merged', 'HEAD', '--sort=-v:refname').split('\n').filter(Boolean);
  if (tag) return { ref: tag, why: `the last release tag (${TAG_PATTERN})` };

  const { version } = specVersion(specAt('HEAD'), `${SPEC} at HEAD`);
  let first;
  for (const commit of git('log', '--format=%H', 'HEAD', '--', SPEC).split('\n').filter(Boolean)) {
    if (versionAt(commit) !== version) break;
    first = commit;
  }
  if (!first) throw new Error(`No ${TAG_PATTERN} tag and no commit of ${SPEC}: pass --base <git ref>`);
  return {
    ref: first.slice(0, 12),
    why: `the first commit of ${SPEC} at version ${version}, as no ${TAG_PATTERN} tag is reachable`,
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
