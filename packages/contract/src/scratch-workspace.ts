import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { workspaceRoot } from './paths';
import { scratchGit } from './scratch-git';

// What a scratch workspace must not share with the real one: places tools write to.
const NOT_SHARED = new Set(['@autofacilitate', '.cache', '.package-lock.json']);

/**
 * Copies the work tree as it is (tracked and untracked files, without what .gitignore leaves out)
 * into a temp folder and makes it a git repo with one commit, so commands that version, commit and
 * tag can run for real without touching the repo. Installed packages are shared through links,
 * except the workspace's own, which link to the copies.
 */
export function createScratchWorkspace(commitMessage: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'scratch-workspace-'));
  try {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    for (const file of files.split('\0').filter(Boolean)) {
      const source = join(workspaceRoot, file);
      if (!existsSync(source)) continue; // deleted in the work tree, not yet in git
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      // A tracked symlink stays a symlink, whatever it points to.
      if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), join(scratch, file));
      else copyFileSync(source, join(scratch, file));
    }

    linkNodeModules(scratch);
    scratchGit(scratch, 'init', '--quiet', '--initial-branch=main');
    // The node_modules links are files to git, which `node_modules/` in .gitignore does not match.
    writeFileSync(join(scratch, '.git/info/exclude'), 'node_modules\n');
    scratchGit(scratch, 'add', '--all');
    scratchGit(scratch, 'commit', '--quiet', '--message', commitMessage);
  } catch (error) {
    // Half a workspace is of no use to anyone: leave nothing behind.
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return scratch;
}

function linkNodeModules(scratch: string) {
  const shared = join(workspaceRoot, 'node_modules');
  const own = join(scratch, 'node_modules');
  mkdirSync(join(own, '@autofacilitate'), { recursive: true });
  for (const entry of readdirSync(shared)) {
    if (!NOT_SHARED.has(entry)) symlinkSync(join(shared, entry), join(own, entry));
  }
  for (const dir of readdirSync(join(scratch, 'packages'))) {
    const manifest = join(scratch, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
    symlinkSync(join(scratch, 'packages', dir), join(own, name));
    // Dependencies npm could not hoist live beside their package.
    const nested = join(workspaceRoot, 'packages', dir, 'node_modules');
    if (existsSync(nested)) symlinkSync(nested, join(scratch, 'packages', dir, 'node_modules'));
  }
}
