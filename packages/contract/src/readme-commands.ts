import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './paths';

/** One fenced block of a README: its language and its lines. */
export interface Block {
  language: string;
  lines: string[];
}

/** One command a README shows, with the output it shows after it (console blocks only). */
export interface ShownCommand {
  command: string;
  output: string[];
}

/** The fenced blocks of a README of the repository. */
export function readmeBlocks(path: string): Block[] {
  const text = readFileSync(join(workspaceRoot, path), 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, language, body]) => ({
    language: language ?? '',
    lines: body!.replace(/\n$/, '').split('\n'),
  }));
}

/**
 * The commands of a block: in `console` and `text` blocks the lines after `$ ` (continued by a
 * trailing `\`), each with the lines shown after it; in `sh` blocks every line that is not a comment.
 */
export function shownCommands(block: Block): ShownCommand[] {
  if (block.language === 'sh') {
    return block.lines
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
      .map((line) => ({ command: line.replace(/\s+#.*$/, '').trim(), output: [] }));
  }
  const commands: ShownCommand[] = [];
  for (let index = 0; index < block.lines.length; index++) {
    const line = block.lines[index]!;
    if (!line.startsWith('$ ')) {
      commands.at(-1)?.output.push(line);
      continue;
    }
    let command = line.slice(2);
    while (command.endsWith('\\')) command = `${command.slice(0, -1).trimEnd()} ${block.lines[++index]!.trim()}`;
    commands.push({ command: command.replace(/\s+# .*$/, ''), output: [] });
  }
  return commands;
}

/** The READMEs of the repository itself, whose commands a newcomer runs from its root. */
export const REPO_READMES = [
  'README.md',
  'packages/server/README.md',
  'spec/README.md',
  'tools/review/README.md',
  'tools/release/README.md',
];

/** Every command a README shows: those of its blocks, and inline code that starts with npm, npx, node or git. */
export function readmeCommands(path: string): string[] {
  const shown = readmeBlocks(path).flatMap((block) => shownCommands(block).map(({ command }) => command));
  const inline = [...readFileSync(join(workspaceRoot, path), 'utf8').matchAll(/`((?:npm|npx|node|git) [^`]+)`/g)].map(
    ([, command]) => command!,
  );
  return [...new Set([...shown, ...inline].filter(Boolean))];
}
