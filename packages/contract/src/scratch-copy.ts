import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './paths';

/**
 * Copies some paths of the work tree into a new temp folder, and links others (installed packages),
 * so a test can change and regenerate files without touching the repo. The caller removes it.
 */
export function scratchCopy(prefix: string, copied: string[], linked: string[] = ['node_modules']): string {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  for (const path of copied) cpSync(join(workspaceRoot, path), join(scratch, path), { recursive: true });
  for (const path of linked) symlinkSync(join(workspaceRoot, path), join(scratch, path));
  return scratch;
}
