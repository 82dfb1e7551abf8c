// The regenerated client's diff: the client generated from each spec, as the generator of the
// repo does it (tools/generator), compared file by file with line counts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateClient } from '../generator/generate.mjs';
import { listFiles } from '../generator/generated-folder.mjs';

/**
 * Generates the client of both specs' texts and compares them: a list of
 * `{ file, change: 'added' | 'removed' | 'changed', added, removed }`, `added`/`removed` counting lines.
 */
export function clientDiff(baseText, headText) {
  const scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-review-'));
  try {
    const trees = {};
    for (const [name, text] of Object.entries({ base: baseText, head: headText })) {
      mkdirSync(join(scratch, name));
      const spec = join(scratch, name, 'autofacilitate.yaml');
      writeFileSync(spec, text);
      trees[name] = join(scratch, name, 'client');
      generateClient(spec, trees[name]);
    }
    const baseFiles = new Set(listFiles(trees.base));
    const headFiles = new Set(listFiles(trees.head));
    const changes = [];
    for (const file of [...new Set([...baseFiles, ...headFiles])].sort()) {
      const before = join(trees.base, file);
      const after = join(trees.head, file);
      if (!baseFiles.has(file)) changes.push({ file, change: 'added', added: lines(after), removed: 0 });
      else if (!headFiles.has(file)) changes.push({ file, change: 'removed', added: 0, removed: lines(before) });
      else if (!readFileSync(before).equals(readFileSync(after)))
        changes.push({ file, change: 'changed', ...lineChanges(before, after) });
    }
    return changes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function lines(path) {
  const text = readFileSync(path, 'utf8');
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Lines added and removed between two versions of a file, counted by git's own diff. */
function lineChanges(before, after) {
  let numstat;
  try {
    numstat = execFileSync('git', ['diff', '--no-index', '--numstat', '--', before, after], { encoding: 'utf8' });
  } catch (error) {
    // `git diff --no-index` exits 1 when the files differ, which is the case here.
    if (error.status !== 1) throw error;
    numstat = error.stdout;
  }
  const [added, removed] = numstat.split('\t').map(Number);
  return { added, removed };
}
