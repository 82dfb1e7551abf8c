// Schemathesis is a Python tool: we install the pinned version into a virtual environment of our own
// (gitignored), so `npm test` needs only python3 with venv. A second run finds it and returns at once.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const venv = join(here, '.venv');
const requirements = join(here, 'requirements.txt');

/** The installed `st` command, after installing it if the venv lacks the pinned version. */
export function ensureSchemathesis() {
  const st = join(venv, 'bin', 'st');
  const stamp = join(venv, 'requirements.txt');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(st) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return st;

  console.error('Installing Schemathesis into tools/schemathesis/.venv…');
  try {
    // A venv cannot be moved (its scripts name their own path), so it is made in place and the
    // copy of the requirements, written last, marks it complete.
    rmSync(venv, { recursive: true, force: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    writeFileSync(stamp, wanted);
  } catch (error) {
    throw new Error('Could not install Schemathesis: is python3 with venv installed and PyPI reachable?', {
      cause: error,
    });
  }
  return st;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(ensureSchemathesis());
