// Spec-first review: what a change to the spec does, before anything is built on it.
//   npm run spec:review                      compare with the last release (the newest v<version> tag)
//   npm run spec:review -- --base <git ref>  compare with the spec at any ref
// Prints Spectral's lint, the breaking-change report, the regenerated client's diff and where the
// rendered docs are. Fails on lint findings, and on a breaking change unless info.version's major
// was raised or a reviewer accepted it in spec/accepted-breaking-changes.yaml. Run from the repo root.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { renderDocs } from '../docs/render-docs.mjs';
import { defaultBase } from './base-ref.mjs';
import { ACCEPTED, acceptedChanges, breakingChanges, describe } from './breaking-changes.mjs';
import { clientDiff } from './client-diff.mjs';
import { SPEC, specAt } from './git.mjs';
import { lint } from './lint.mjs';

async function review(argv) {
  const { values } = parseArgs({ args: argv, options: { base: { type: 'string' } } });
  const base = values.base ? { ref: values.base, why: 'as given with --base' } : defaultBase();
  const baseText = specAt(base.ref);
  const headText = readFileSync(SPEC, 'utf8');
  const failures = [];

  console.log(`Spec review of ${SPEC} (working tree) against ${base.ref}, ${base.why}.`);

  section('Lint (Spectral, failing on warnings)');
  const linted = lint();
  console.log(linted.output);
  if (!linted.passed) failures.push('Spectral reports findings: fix them (npx nx run spec:lint).');

  section('Breaking changes (openapi-diff)');
  const diff = await breakingChanges(
    { name: `${base.ref}:${SPEC}`, text: baseText },
    { name: SPEC, text: headText },
    acceptedChanges(),
  );
  console.log(`info.version: ${diff.base.version} at ${base.ref}, ${diff.head.version} in the working tree.`);
  list('breaking', diff.breaking);
  if (diff.accepted.length > 0) {
    console.log(`${changes(diff.accepted.length, 'accepted breaking')} (${ACCEPTED}):`);
    for (const { difference, why } of diff.accepted) console.log(`  ${describe(difference)}\n    why: ${why}`);
  }
  for (const entry of diff.stale)
    console.log(`Not a change against ${base.ref}, remove it from ${ACCEPTED}: ${entry.code} at ${entry.location}`);
  list('non-breaking', diff.nonBreaking);
  list('unclassified', diff.unclassified, ' (openapi-diff cannot tell: judge them by eye)');
  if (diff.breaking.length > 0 && diff.allowed) {
    console.log(
      `Breaking changes are allowed: the major version was raised (${diff.base.major} → ${diff.head.major}).`,
    );
  } else if (!diff.allowed) {
    failures.push(
      `${changes(diff.breaking.length, 'breaking')} while info.version's major is still ${diff.head.major} ` +
        `(${diff.base.version} at ${base.ref}): make the change compatible, or raise the major to ${diff.base.major + 1}.0.0.`,
    );
  }

  section('Regenerated client (openapi-generator, typescript-fetch)');
  const files = clientDiff(baseText, headText);
  const count = (change) => files.filter((f) => f.change === change).length;
  const sum = (key) => files.reduce((total, f) => total + f[key], 0);
  console.log(
    files.length === 0
      ? 'No change: both specs generate the same client.'
      : `Files: ${count('changed')} changed, ${count('added')} added, ${count('removed')} removed; lines: +${sum('added')} -${sum('removed')}`,
  );
  for (const f of files) console.log(`  ${f.change.padEnd(8)} ${f.file}  +${f.added} -${f.removed}`);

  section('Rendered docs');
  console.log(relative(process.cwd(), renderDocs(SPEC)));

  console.log('');
  if (failures.length > 0) {
    for (const failure of failures) console.error(`Spec review failed: ${failure}`);
    return 1;
  }
  console.log('Spec review passed.');
  return 0;
}

function section(title) {
  console.log(`\n== ${title}`);
}

function changes(count, kind) {
  return `${count === 0 ? 'No' : count} ${kind} change${count === 1 ? '' : 's'}`;
}

function list(kind, differences, note = '') {
  console.log(differences.length === 0 ? `${changes(0, kind)}.` : `${changes(differences.length, kind)}${note}:`);
  for (const difference of differences) console.log(`  ${describe(difference)}`);
}

review(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`Spec review failed: ${error.message}`);
    process.exitCode = 2;
  },
);
