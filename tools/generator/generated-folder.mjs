// What every generated folder shares: the generator writes into a scratch folder first, so a check
// never touches the work tree and a failed run never leaves half-written code behind; then the
// folder is replaced by the fresh output (stale files removed), or, with --check, compared with it.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

// Hand-written files that live beside the generated ones.
const KEEP = new Set(['README.md']);

/**
 * Runs `generate(output)` into a scratch folder, then writes `target` from it, or with `--check`
 * on the command line fails (exit code 1) when `target` differs, naming `command` to fix it.
 */
export async function writeOrCheck({ target, source, command, generate }) {
  const scratch = mkdtempSync(join(tmpdir(), 'autofacilitate-generated-'));
  try {
    const output = join(scratch, 'generated');
    await generate(output);
    const folder = resolve(target);
    if (process.argv.includes('--check')) {
      const differences = compare(output, folder);
      if (differences.length > 0) {
        console.error(
          `${target} is stale: ${differences.length} file(s) differ from what ${source} generates:\n` +
            differences.map((d) => `  ${d}`).join('\n') +
            `\nRun \`${command}\` and commit the result.`,
        );
        process.exitCode = 1;
        return;
      }
      console.log(`${target} matches ${source}.`);
    } else {
      for (const entry of existsSync(folder) ? readdirSync(folder) : []) {
        if (!KEEP.has(entry)) rmSync(join(folder, entry), { recursive: true, force: true });
      }
      cpSync(output, folder, { recursive: true });
      console.log(`Generated ${relative(process.cwd(), folder)}.`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Lists the files that are missing, extra or different between the fresh and committed trees. */
function compare(fresh, committed) {
  const freshFiles = listFiles(fresh);
  const committedFiles = listFiles(committed).filter((file) => !KEEP.has(file));
  const differences = [];
  for (const file of freshFiles) {
    if (!committedFiles.includes(file)) differences.push(`missing: ${file}`);
    else if (!readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file))))
      differences.push(`changed: ${file}`);
  }
  for (const file of committedFiles) {
    if (!freshFiles.includes(file)) differences.push(`extra:   ${file}`);
  }
  return differences;
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
export function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    const name = prefix ? `${prefix}/${entry}` : entry;
    return statSync(path).isDirectory() ? listFiles(path, name) : [name];
  });
}
