// A spec's `info.version`, which says whether a breaking change is allowed: only with a new major.
import { parse } from 'yaml';

/** Reads `info.version` from a spec's text; `where` names the spec in errors. */
export function specVersion(text, where) {
  const version = parse(text)?.info?.version;
  const major = /^(\d+)\.\d+\.\d+/.exec(String(version ?? ''))?.[1];
  if (major === undefined)
    throw new Error(`${where}: info.version must be a semantic version (x.y.z), found '${version}'`);
  return { version: String(version), major: Number(major) };
}
